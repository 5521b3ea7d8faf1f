import crypto from "node:crypto";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { departureSoonAfter, wallClock } from "@/lib/bookings/request";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { DEMO, E2E_URL, browserPerFile, expectScreen, pathOf, textOf, ensureCatalog, gotoForbidden } from "./support";

const browser = browserPerFile();
const SANDBOX_URL = process.env.E2E_SANDBOX_URL ?? "";
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

type SandboxTraveler = { external_user_id: string; packages: string[] };

async function sandboxTravelers(): Promise<SandboxTraveler[]> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/travelers`, {
    headers: { "x-api-key": SANDBOX_CREDENTIALS.apiKey },
  });
  return ((await response.json()) as { data: SandboxTraveler[] }).data;
}

async function existingTraveler(): Promise<string> {
  const [traveler] = await sandboxTravelers();
  if (!traveler) throw new Error("the demo sandbox has no travelers");
  return traveler.external_user_id;
}

/** A demo traveler using data abroad: an ACTIVE package, and every package in one destination (`GR 1GB ACTIVE`). */
async function travelerAbroad(): Promise<{ externalUserId: string; destination: string }> {
  for (const traveler of await sandboxTravelers()) {
    const destinations = new Set(traveler.packages.map((entry) => entry.split(" ")[0]));
    if (destinations.size === 1 && traveler.packages.some((entry) => entry.endsWith(" ACTIVE"))) {
      return { externalUserId: traveler.external_user_id, destination: [...destinations][0]! };
    }
  }
  throw new Error("no demo traveler has an active package");
}

/** The one IANA zone of a country, as the console works it out; null for regions and multi-zone countries. */
function singleZone(code: string): string | null {
  if (!/^[A-Z]{2}$/.test(code)) return null;
  const zones = (new Intl.Locale(`und-${code}`) as Intl.Locale & { timeZones?: string[] }).timeZones ?? [];
  return zones.length === 1 ? zones[0]! : null;
}

async function fillPackage(page: Page, destination: string, offer: string) {
  const spec = page.getByTestId("spec-0");
  await spec.getByLabel("Add destination", { exact: true }).selectOption(destination);
  await spec.getByLabel("Size and duration", { exact: true }).selectOption({ label: offer });
  await page.getByLabel("Departure date", { exact: true }).fill(tomorrow);
}

async function openBookingPage(page: Page, bookingUrlPattern = /^\/bookings\/[0-9a-f-]{36}$/) {
  // Sending books at the sandbox before the redirect; under load that can pass 30 s: the test's bound decides.
  await page.waitForURL((url) => bookingUrlPattern.test(url.pathname), { timeout: 85_000 });
  await page.getByTestId("intent-status").waitFor();
}

/** What each field of the form shows: a select's chosen option (value and text), an input's value. */
async function shown(fields: Record<string, Locator>) {
  const entries = await Promise.all(
    Object.entries(fields).map(async ([name, field]) => {
      const value = await field.inputValue();
      const tag = await field.evaluate((element) => element.tagName);
      const text =
        tag === "SELECT"
          ? await field.evaluate((element) => (element as HTMLSelectElement).selectedOptions[0]?.textContent ?? "")
          : value;
      return [name, `${value} ${text}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}

describe("bookings", () => {
  it("a fresh server has the catalog without anyone pressing Refresh: the form waits for it visibly", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await page.goto("/bookings/new");
    await expectScreen(page, "New booking");
    // Either the catalog is in already, or the page says it is being read and reloads itself until it is.
    await page.getByTestId("booking-form").waitFor({ timeout: 90_000 });
    expect(await textOf(page.getByTestId("booking-catalog-as-of"))).toMatch(
      /^Catalog as of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/,
    );
  });

  it("a campaign manager finds a destination in the catalog, previews a booking and sends it once", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await ensureCatalog(page);
    await page.getByLabel("Search (name, code, or a country a region covers)").fill("Greece");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === "Greece");
    // Greece itself, and the regions that cover it (Europe, Global).
    await page.getByTestId("destination-GR").waitFor();
    await page.getByTestId("destination-EU").waitFor();

    const traveler = `e2e_cm_${crypto.randomBytes(3).toString("hex")}`;
    await page.goto("/bookings/new");
    await expectScreen(page, "New booking");
    await page.getByLabel("Travelers (external_user_id, one per line)").fill(traveler);
    await fillPackage(page, "GR", "3GB, 365 days");
    await page.getByLabel("Departure time (optional)").fill("10:30");
    await page.getByLabel("Time zone", { exact: true }).selectOption("Europe/Athens");
    await page.getByLabel("Locale (WebView language)").selectOption("en-GB");
    await page.getByRole("button", { name: "Preview" }).click();

    const preview = page.getByTestId("preview");
    await preview.waitFor();
    const request = JSON.parse(await textOf(page.getByTestId("request-json"))) as Record<string, unknown>;
    expect(request).toMatchObject({
      booking_id: expect.stringMatching(/^hpc-[0-9a-f-]{36}$/),
      departure_date: expect.stringMatching(new RegExp(`^${tomorrow}T10:30:00\\+0[23]:00$`)),
      locale: "en-GB",
      package_specifications: [
        {
          external_user_id: traveler,
          destination: "GR",
          size: "3GB",
          package_type: "data-limited",
          package_duration: 365,
        },
      ],
    });
    expect(await textOf(page.getByTestId("total-cost"))).toMatch(/€\d/);

    // A double click sends one booking: the button disables, and the form's key makes one intent.
    await page.getByTestId("send-booking").dblclick();
    await openBookingPage(page);
    expect(await textOf(page.getByTestId("intent-status"))).toBe("SENT");
    expect(await textOf(page.getByTestId("hubby-booking-id"))).toMatch(/^booking_/);
    const history = await textOf(page.getByTestId("intent-history"));
    expect(history).toContain("PENDING → SENDING");
    expect(history).toContain("SENDING → SENT");

    await page.goto(`/bookings?user=${traveler}`);
    await expectScreen(page, "Bookings");
    expect(await page.locator('[data-testid^="booking-row-"]').count()).toBe(1);
  });

  it("picks a bundle from the catalog and a multi-destination package; the fields keep showing what the preview shows", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await ensureCatalog(page);
    const traveler = `e2e_bundle_${crypto.randomBytes(3).toString("hex")}`;
    await page.goto("/bookings/new");
    await expectScreen(page, "New booking");
    await page.getByLabel("Travelers (external_user_id, one per line)").fill(traveler);

    // Package 1: a time-limited bundle from the catalog, sent as its package_id.
    const first = page.getByTestId("spec-0");
    await first.getByLabel("A bundle from the catalog").check();
    await first.getByLabel("Destination", { exact: true }).selectOption("IT");
    await first.getByLabel("Bundle", { exact: true }).selectOption("pkg_it_5gb_tl_7d");
    // Package 2: two destinations, 3GB for a year (sizes come from the catalog's bundles).
    await page.getByRole("button", { name: "Add package" }).click();
    const second = page.getByTestId("spec-1");
    await second.getByLabel("Add destination", { exact: true }).selectOption("US");
    await second.getByLabel("Add destination", { exact: true }).selectOption("CA");
    await second.getByLabel("Size and duration", { exact: true }).selectOption({ label: "3GB, 365 days" });
    await page.getByLabel("Departure date", { exact: true }).fill(tomorrow);
    await page.getByLabel("Departure time (optional)").fill("10:30");
    await page.getByLabel("Time zone", { exact: true }).selectOption("America/Toronto");
    await page.getByLabel("Locale (WebView language)").selectOption("es");

    const fields = {
      bundleDestination: first.getByLabel("Destination", { exact: true }),
      bundle: first.getByLabel("Bundle", { exact: true }),
      type: second.getByLabel("Package type", { exact: true }),
      offer: second.getByLabel("Size and duration", { exact: true }),
      date: page.getByLabel("Departure date", { exact: true }),
      time: page.getByLabel("Departure time (optional)"),
      zone: page.getByLabel("Time zone", { exact: true }),
      locale: page.getByLabel("Locale (WebView language)"),
    };
    const before = await shown(fields);
    expect(before).toMatchObject({
      offer: "3GB|365 3GB, 365 days",
      zone: "America/Toronto America/Toronto",
      locale: "es es",
    });

    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByTestId("preview").waitFor();
    const request = JSON.parse(await textOf(page.getByTestId("request-json"))) as Record<string, unknown>;
    expect(request).toMatchObject({
      departure_date: expect.stringMatching(new RegExp(`^${tomorrow}T10:30:00-0[45]:00$`)),
      locale: "es",
      package_specifications: [
        { external_user_id: traveler, package_id: "pkg_it_5gb_tl_7d" },
        {
          external_user_id: traveler,
          destination: ["US", "CA"],
          package_type: "data-limited",
          size: "3GB",
          package_duration: 365,
        },
      ],
    });
    expect(await textOf(page.getByTestId("preview-bundle-0"))).toContain("pkg_it_5gb_tl_7d");
    // While the preview is open, every field still shows what was previewed (no reset to 1GB / UTC / default).
    expect(await shown(fields)).toEqual(before);

    // Back to editing and previewing again changes nothing either.
    await page.getByRole("button", { name: "Edit" }).click();
    expect(await shown(fields)).toEqual(before);
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByTestId("preview").waitFor();
    expect(await shown(fields)).toEqual(before);

    await page.getByTestId("send-booking").click();
    await openBookingPage(page);
    expect(await textOf(page.getByTestId("intent-status"))).toBe("SENT");
  });

  it("refuses a departure that has passed in the chosen time zone before any preview", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await page.goto("/bookings/new");
    await expectScreen(page, "New booking");
    await page.getByLabel("Travelers (external_user_id, one per line)").fill("e2e_past_traveler");
    await fillPackage(page, "GR", "1GB, 365 days");
    // Today in Pago Pago (UTC−11) is already over in Kiritimati (UTC+14).
    const today = wallClock("Pacific/Pago_Pago", Date.now()).date;
    await page.getByLabel("Departure date", { exact: true }).fill(today);
    await page.getByLabel("Time zone", { exact: true }).selectOption("Pacific/Kiritimati");
    await page.getByRole("button", { name: "Preview" }).click();
    expect(await textOf(page.getByTestId("error-departureDate"))).toMatch(
      /This day has passed: .* in Pacific\/Kiritimati/,
    );
    expect(await page.getByTestId("preview").count()).toBe(0);
  });

  it("a support agent tops up a traveler abroad: their destination, time zone and a departure now are preselected", async () => {
    const { externalUserId, destination } = await travelerAbroad();
    const { page } = await browser.signedIn(DEMO.support);
    await ensureCatalog(page);
    const opened = Date.now();
    await page.goto(`/bookings/new?externalUserId=${encodeURIComponent(externalUserId)}&topUp=1`);
    await expectScreen(page, "Top up a traveler");
    expect(await page.getByLabel("Traveler (external_user_id)").inputValue()).toBe(externalUserId);
    await page.getByTestId(`spec-0-destination-${destination}`).waitFor();

    const zoneField = page.getByLabel("Time zone", { exact: true });
    const zone = singleZone(destination);
    if (zone) expect(await zoneField.inputValue()).toBe(zone);
    const shownZone = await zoneField.inputValue();
    const departure = {
      date: await page.getByLabel("Departure date", { exact: true }).inputValue(),
      time: await page.getByLabel("Departure time (optional)").inputValue(),
    };
    // The next quarter hour after the page was made, on the time zone's clock.
    expect([departureSoonAfter(shownZone, opened), departureSoonAfter(shownZone, Date.now())]).toContainEqual(
      departure,
    );

    await page.getByRole("button", { name: "Preview" }).click();
    expect(await textOf(page.getByTestId("error-reason"))).toMatch(/reason/i);
    await page.getByLabel("Reason (required)").fill("Ticket #4242: out of data abroad");
    await page
      .getByTestId("spec-0")
      .getByLabel("Size and duration", { exact: true })
      .selectOption({ label: "1GB, 365 days" });
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByTestId("preview").waitFor();
    const request = JSON.parse(await textOf(page.getByTestId("request-json"))) as {
      package_specifications: Record<string, unknown>[];
    };
    expect(request.package_specifications).toEqual([
      {
        external_user_id: externalUserId,
        destination,
        package_type: "data-limited",
        size: "1GB",
        package_duration: 365,
      },
    ]);
    await page.getByRole("button", { name: "Send top-up" }).click();
    await openBookingPage(page);
    expect(await textOf(page.getByTestId("intent-status"))).toBe("SENT");
    expect(await textOf(page.getByTestId("intent-reason"))).toBe("Ticket #4242: out of data abroad");
  });

  it("a support agent is refused an ordinary issue: the page answers 403 and the server refuses a forged form", async () => {
    const { page } = await browser.signedIn(DEMO.support);
    await gotoForbidden(page, "/bookings/new");
    expect(pathOf(page)).toBe("/bookings/new");

    const traveler = await existingTraveler();
    await page.goto(`${E2E_URL}/bookings/new?externalUserId=${encodeURIComponent(traveler)}&topUp=1`);
    await expectScreen(page, "Top up a traveler");
    await fillPackage(page, "IT", "1GB, 365 days");
    await page.getByLabel("Reason (required)").fill("Trying to issue");
    // Turn the top-up into an ordinary issue in the page itself: only the server can stop it.
    await page.locator('input[type="hidden"][name="kind"]').evaluate((input: HTMLInputElement) => {
      input.value = "issue";
    });
    await page.getByRole("button", { name: "Preview" }).click();
    expect(await textOf(page.getByTestId("form-error"))).toMatch(/may only top up/);
  });
});
