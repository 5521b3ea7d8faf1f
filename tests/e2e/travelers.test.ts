import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { DEMO, E2E_URL, browserPerFile, expectScreen, postServerAction } from "./support";

const browser = browserPerFile();
const SANDBOX_URL = process.env.E2E_SANDBOX_URL ?? "";
const sandboxHeaders = { "x-api-key": SANDBOX_CREDENTIALS.apiKey, "content-type": "application/json" };
// `HUBBY_SANDBOX_SHAPES=documented npm run test:e2e -- tests/e2e/travelers.test.ts` runs these journeys against a
// sandbox answering with documented shapes only (no per-package bytes on the dashboard).
const documentedShapes = process.env.HUBBY_SANDBOX_SHAPES === "documented";

type SandboxTraveler = { external_user_id: string; esim_status: string | null; queued: number; packages: string[] };

async function sandboxTravelers(): Promise<SandboxTraveler[]> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/travelers`, { headers: sandboxHeaders });
  return ((await response.json()) as { data: SandboxTraveler[] }).data;
}

async function travelerWhere(test: (traveler: SandboxTraveler) => boolean, what: string): Promise<string> {
  const found = (await sandboxTravelers()).find(test);
  if (!found) throw new Error(`the demo sandbox has no traveler with ${what}`);
  return found.external_user_id;
}

const travelerWithQueuedPackage = () =>
  travelerWhere((traveler) => traveler.queued > 0 && traveler.esim_status !== null, "a queued package");

describe("travelers", () => {
  it("support searches a traveler, opens the page, redeems a queued package, and the timeline shows it", async () => {
    const externalUserId = await travelerWithQueuedPackage();
    const { page, context } = await browser.signedIn(DEMO.support);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: E2E_URL });
    await page.goto("/travelers");
    await expectScreen(page, "Travelers");
    await page.getByLabel("Search travelers", { exact: true }).fill(externalUserId);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL((url) => url.pathname === `/travelers/${externalUserId}`);
    await expectScreen(page, externalUserId);
    await page.getByTestId("esim-iccid").waitFor();
    expect(await page.getByTestId("fetched-at").textContent()).toMatch(/^Live from Hubby, fetched .* UTC\.$/);

    await page.getByRole("button", { name: "Redeem", exact: true }).first().click();
    await page.getByRole("button", { name: "Confirm redeem" }).click();
    await page.getByText("Package queue redeemed successfully").waitFor();

    const sections = page.getByRole("navigation", { name: "Traveler sections" });
    await sections.getByRole("link", { name: /^Timeline/ }).click();
    await page.waitForURL((url) => url.searchParams.get("tab") === "timeline");
    const timeline = page.getByTestId("timeline");
    await timeline.getByText("travelers.redeem").first().waitFor();
    expect(await timeline.getByText("POST /native/redeem-package").count()).toBeGreaterThan(0);

    // Filter to staff actions: held in the URL, so a reload (or a pasted link) reopens the same view.
    await page
      .getByRole("navigation", { name: "Timeline filters" })
      .getByRole("link", { name: "Staff actions" })
      .click();
    await page.waitForURL((url) => url.searchParams.get("kinds") === "staff");
    await page.reload();
    const filters = page.getByRole("navigation", { name: "Timeline filters" });
    expect(await filters.getByRole("link", { name: "Staff actions" }).getAttribute("aria-current")).toBe("true");
    await timeline.getByText("travelers.redeem").first().waitFor();
    expect(await timeline.getByText("POST /native/redeem-package").count()).toBe(0);

    await page.getByRole("button", { name: "Copy link" }).click();
    await page.getByText("Copied the link to this view.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `${E2E_URL}/travelers/${externalUserId}?tab=timeline&kinds=staff`,
    );

    await page.getByRole("button", { name: "Copy support summary" }).click();
    await page.getByText("Support summary copied.").waitFor();
    const summary = await page.evaluate(() => navigator.clipboard.readText());
    expect(summary).toContain(`Hubby traveler support summary: ${externalUserId}`);
    expect(summary).toContain(`Console: ${E2E_URL}/travelers/${externalUserId}?tab=timeline&kinds=staff`);
    expect(summary).toMatch(/GET \/native\/user-dashboard {2}200 {2}request [\w-]+/);
  });

  it("checks the traveler's device and opens the traveler's view", async () => {
    const externalUserId = await travelerWithQueuedPackage();
    const { page } = await browser.signedIn(DEMO.support);
    await page.goto(`/travelers/${externalUserId}`);
    await expectScreen(page, externalUserId);
    await page.getByLabel("Brand", { exact: true }).fill("Samsung");
    await page.getByLabel("Model", { exact: true }).fill("Galaxy S24");
    await page.getByRole("button", { name: "Check", exact: true }).click();
    expect(await page.getByTestId("device-result").textContent()).toContain("supports eSIM");
    // The inputs keep what was typed, for a second check of a similar phone.
    expect(await page.getByLabel("Brand", { exact: true }).inputValue()).toBe("Samsung");
    expect(await page.getByLabel("Model", { exact: true }).inputValue()).toBe("Galaxy S24");

    // One click opens the traveler's view in a new tab; the link stays on the screen to copy.
    // The sandbox's stand-in for Hubby's WebView serves no favicon: answer the tab's request for one, rather than
    // let its 404 count as a browser error of this journey.
    await page.context().route("**/favicon.ico", (route) => route.fulfill({ status: 204 }));
    const [viewTab] = await Promise.all([
      page.context().waitForEvent("page"),
      page.getByRole("button", { name: "Open traveler's view" }).click(),
    ]);
    await viewTab.waitForURL(/\/webview\?t=/);
    expect(await viewTab.evaluate(() => window.opener)).toBeNull();
    const link = page.getByTestId("webview-link").getByRole("link");
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe(viewTab.url());
  });

  it("charts the usage of an active package with a burn-rate estimate, each number with its time", async () => {
    const externalUserId = await travelerWhere(
      (traveler) => traveler.packages.some((pkg) => /\d(GB|MB) ACTIVE$/.test(pkg)),
      "an active data package",
    );
    const { page } = await browser.signedIn(DEMO.campaigns);
    await page.goto(`/travelers/${externalUserId}?tab=usage`);
    await expectScreen(page, externalUserId);
    expect(await page.getByTestId("traveler-usage").textContent()).toMatch(
      /^The eSIM has used [\d.]+% of its data \(.* left of .*\), as of \d{4}-\d\d-\d\d \d\d:\d\d UTC, from the sandbox's dashboard\./,
    );
    const burn = page.getByTestId("burn-rate").first();
    await burn.waitFor();
    expect(await burn.textContent()).toMatch(/as of \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await page.getByRole("img", { name: /^Data used over time/ }).count()).toBeGreaterThan(0);
    const liveReadings = await page.getByRole("cell", { name: "the sandbox's dashboard (live)" }).count();
    if (documentedShapes) {
      expect(liveReadings).toBe(0);
      expect(await page.getByRole("cell", { name: "Hubby's usage webhook" }).count()).toBeGreaterThan(0);
    } else {
      expect(liveReadings).toBeGreaterThan(0);
    }

    // The overview's meters: the eSIM's data left (documented), and per package with its source.
    await page.goto(`/travelers/${externalUserId}`);
    await expectScreen(page, externalUserId);
    expect(await page.getByRole("meter", { name: "Data left on the eSIM" }).count()).toBe(1);
    expect(await page.getByTestId("esim-data-left").textContent()).toMatch(
      /left of .* \([\d.]+% used\), as of \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
    expect(await page.getByTestId("package-usage").first().textContent()).toMatch(
      /, from (the sandbox's dashboard|Hubby's usage webhook) at \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
  });

  it("still renders from stored state, with a banner, when Hubby is down", async () => {
    const externalUserId = await travelerWithQueuedPackage();
    const { page } = await browser.signedIn(DEMO.support);
    // Seen once while Hubby is up, so the console has stored it.
    await page.goto(`/travelers/${externalUserId}`);
    await expectScreen(page, externalUserId);
    const fault = await fetch(`${SANDBOX_URL}/_sandbox/faults`, {
      method: "POST",
      headers: sandboxHeaders,
      body: JSON.stringify({ kind: "status", status: 503, path: "/native/user-dashboard" }),
    });
    expect(fault.status).toBe(200);
    try {
      const response = await page.goto(`/travelers/${externalUserId}?tab=timeline`);
      expect(response?.status()).toBe(200);
      await expectScreen(page, externalUserId);
      const banner = page.getByTestId("hubby-down");
      expect(await banner.textContent()).toMatch(
        /Hubby could not be reached: .* Showing what the console stored from webhooks, last updated .* UTC \(/,
      );
      await page.getByTestId("timeline").waitFor();
    } finally {
      await fetch(`${SANDBOX_URL}/_sandbox/faults`, { method: "DELETE", headers: sandboxHeaders });
    }
  });

  it("every role may redeem; a forged redeem without a valid session is refused and counted", async () => {
    // lib/auth/roles.ts gives travelers.redeem to every role, so no signed-in role lacks the button; the caller
    // without redeem rights is one without a session, with a forged session cookie to get past proxy.ts.
    const externalUserId = await travelerWithQueuedPackage();
    const admin = await browser.signedIn(DEMO.admin);
    await admin.page.goto(`/travelers/${externalUserId}`);
    await expectScreen(admin.page, externalUserId);
    const queueId = (await admin.page.locator('[data-testid^="queue-"]').first().getAttribute("data-testid"))!.slice(6);
    const queuedBefore = (await sandboxTravelers()).find((t) => t.external_user_id === externalUserId)!.queued;

    const { context: forged } = await browser.open();
    await forged.addCookies([{ name: "next-auth.session-token", value: "forged", url: E2E_URL }]);
    const response = await postServerAction(forged, {
      page: `/travelers/${externalUserId}`,
      file: "app/(console)/travelers/[externalUserId]/actions.ts",
      action: "redeemPackageAction",
      fields: { externalUserId, packageQueueId: queueId },
    });
    const body = await response.text();
    expect(body).not.toContain('"ok":true');
    expect(`${response.headers()["x-action-redirect"] ?? ""}${response.headers()["location"] ?? ""}`).toContain(
      "/login",
    );
    expect((await sandboxTravelers()).find((t) => t.external_user_id === externalUserId)!.queued).toBe(queuedBefore);

    // Counted per minute and source on the audit log page, not an audit entry per forged call.
    await admin.page.goto("/audit");
    expect(await admin.page.getByTestId("refused-without-session").textContent()).toMatch(/travelers\.redeem × \d+/);
  });

  it("shows a friendly not-found for an id neither the console nor Hubby knows", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await page.goto("/travelers/nobody_at_all_e2e");
    await expectScreen(page, "Traveler not found");
    expect(await page.getByText("nobody_at_all_e2e", { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: "search the traveler list" }).getAttribute("href")).toBe(
      "/travelers?q=nobody_at_all_e2e",
    );
  });
});
