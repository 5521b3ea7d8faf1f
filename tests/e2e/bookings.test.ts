import crypto from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { DEMO, E2E_URL, browserPerFile, expectScreen, pathOf, textOf, ensureCatalog } from "./support";

const browser = browserPerFile();
const SANDBOX_URL = process.env.E2E_SANDBOX_URL ?? "";
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

async function existingTraveler(): Promise<string> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/travelers`, {
    headers: { "x-api-key": SANDBOX_CREDENTIALS.apiKey },
  });
  const travelers = ((await response.json()) as { data: { external_user_id: string }[] }).data;
  if (!travelers[0]) throw new Error("the demo sandbox has no travelers");
  return travelers[0].external_user_id;
}

async function fillPackage(page: Page, destination: string, size: string) {
  await page.getByLabel("Add destination", { exact: true }).selectOption(destination);
  await page.getByLabel("Size", { exact: true }).selectOption(size);
  await page.getByLabel("Departure date", { exact: true }).fill(tomorrow);
}

async function openBookingPage(page: Page, bookingUrlPattern = /^\/bookings\/[0-9a-f-]{36}$/) {
  await page.waitForURL((url) => bookingUrlPattern.test(url.pathname), { timeout: 30_000 });
  await page.getByTestId("intent-status").waitFor();
}

describe("bookings", () => {
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
    await fillPackage(page, "GR", "3GB");
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
        { external_user_id: traveler, destination: "GR", size: "3GB", package_type: "data-limited" },
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

  it("a support agent tops up an existing traveler with a reason", async () => {
    const traveler = await existingTraveler();
    const { page } = await browser.signedIn(DEMO.support);
    await ensureCatalog(page);
    await page.goto(`/bookings/new?externalUserId=${encodeURIComponent(traveler)}&topUp=1`);
    await expectScreen(page, "Top up a traveler");
    expect(await page.getByLabel("Traveler (external_user_id)").inputValue()).toBe(traveler);
    await fillPackage(page, "IT", "1GB");
    await page.getByRole("button", { name: "Preview" }).click();
    expect(await textOf(page.getByTestId("error-reason"))).toMatch(/reason/i);

    await page.getByLabel("Reason (required)").fill("Ticket #4242: out of data in Rome");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByTestId("preview").waitFor();
    await page.getByRole("button", { name: "Send top-up" }).click();
    await openBookingPage(page);
    expect(await textOf(page.getByTestId("intent-status"))).toBe("SENT");
    expect(await textOf(page.getByTestId("intent-reason"))).toBe("Ticket #4242: out of data in Rome");
  });

  it("a support agent is refused an ordinary issue: the page answers 403 and the server refuses a forged form", async () => {
    const { page } = await browser.signedIn(DEMO.support);
    const response = await page.goto("/bookings/new");
    expect(response?.status(), "HTTP status of GET /bookings/new for support").toBe(403);
    expect(pathOf(page)).toBe("/bookings/new");

    const traveler = await existingTraveler();
    await page.goto(`${E2E_URL}/bookings/new?externalUserId=${encodeURIComponent(traveler)}&topUp=1`);
    await expectScreen(page, "Top up a traveler");
    await fillPackage(page, "IT", "1GB");
    await page.getByLabel("Reason (required)").fill("Trying to issue");
    // Turn the top-up into an ordinary issue in the page itself: only the server can stop it.
    await page.locator('input[type="hidden"][name="kind"]').evaluate((input: HTMLInputElement) => {
      input.value = "issue";
    });
    await page.getByRole("button", { name: "Preview" }).click();
    expect(await textOf(page.getByTestId("form-error"))).toMatch(/may only top up/);
  });
});
