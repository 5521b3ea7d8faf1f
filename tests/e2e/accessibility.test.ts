import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screensFor } from "@/lib/navigation";
import { may, type Permission, type StaffRole } from "@/lib/auth/roles";
import { DEMO, browserPerFile, expectAccessible, pathAndQuery, pathOf, webhookSend } from "./support";

const browser = browserPerFile();

const roles: { account: (typeof DEMO)[keyof typeof DEMO]; demo: keyof typeof DEMO; role: StaffRole }[] = [
  { account: DEMO.admin, demo: "admin", role: "admin" },
  { account: DEMO.campaigns, demo: "campaigns", role: "campaign_manager" },
  { account: DEMO.support, demo: "support", role: "support" },
];

/** The screens a role reaches besides the sidebar's: forms and sub-screens linked from them. */
const subScreens: Record<StaffRole, string[]> = {
  admin: ["/bookings/new", "/bookings/new?mode=promo", "/bookings/hubby", "/campaigns/new", "/forwarding/log"],
  campaign_manager: ["/bookings/new", "/campaigns/new"],
  support: ["/bookings/new?topUp=1"],
};

/**
 * Screens another journey already waits for with expectScreen() as this role (ensureCatalog() does for the catalog),
 * which runs axe on them (decision 0060): this journey does not check them again. Each entry names that journey and
 * the heading it waits for; the first test below reads the journey's source, so an entry goes stale loudly.
 */
const checkedElsewhere: Record<StaffRole, { url: string; heading: string; by: string }[]> = {
  admin: [
    { url: "/", heading: "Overview", by: "overview.test.ts" },
    { url: "/catalog", heading: "Catalog", by: "api-log.test.ts" },
    { url: "/webhooks", heading: "Webhooks", by: "webhooks.test.ts" },
    { url: "/staff", heading: "Staff", by: "staff-edit.test.ts" },
    { url: "/audit", heading: "Audit log", by: "tour.test.ts" },
    { url: "/api-log", heading: "Hubby API log", by: "api-log.test.ts" },
    { url: "/jobs", heading: "Jobs", by: "jobs.test.ts" },
    { url: "/alerts", heading: "Alerts", by: "alerts.test.ts" },
    { url: "/alerts/rules", heading: "Alert rules", by: "alerts.test.ts" },
    { url: "/forwarding", heading: "Forwarding", by: "forwarding.test.ts" },
    { url: "/retention", heading: "Retention", by: "retention.test.ts" },
  ],
  campaign_manager: [
    { url: "/", heading: "Overview", by: "overview.test.ts" },
    { url: "/travelers", heading: "Travelers", by: "campaigns.test.ts" },
    { url: "/bookings", heading: "Bookings", by: "tour.test.ts" },
    { url: "/campaigns", heading: "Campaigns", by: "tour.test.ts" },
    { url: "/promo-codes", heading: "Promo codes", by: "promo-codes.test.ts" },
    { url: "/catalog", heading: "Catalog", by: "campaigns.test.ts" },
    { url: "/instructions", heading: "Installation instructions", by: "instructions.test.ts" },
    { url: "/bookings/new", heading: "New booking", by: "bookings.test.ts" },
    { url: "/campaigns/new", heading: "New campaign", by: "campaigns.test.ts" },
  ],
  support: [
    { url: "/", heading: "Overview", by: "overview.test.ts" },
    { url: "/travelers", heading: "Travelers", by: "travelers-list.test.ts" },
    { url: "/promo-codes", heading: "Promo codes", by: "promo-codes.test.ts" },
    { url: "/catalog", heading: "Catalog", by: "bookings.test.ts" },
    { url: "/webhooks", heading: "Webhooks", by: "command-palette.test.ts" },
    { url: "/instructions", heading: "Installation instructions", by: "instructions.test.ts" },
    { url: "/alerts", heading: "Alerts", by: "alerts.test.ts" },
    { url: "/bookings/new?topUp=1", heading: "Top up a traveler", by: "bookings.test.ts" },
  ],
};

/**
 * Screens that render for a campaign manager exactly as for support, whose are checked (here or by another journey):
 * the inbox and a webhook (replay and reconcile are admin-only), the alerts (managing rules is admin-only) and a
 * traveler's page and tabs (its links to the API log and audit are admin-only). The campaign manager's journey does
 * not check them again; the first test below holds the role matrix to that for every permission these screens read.
 */
const likeSupportForCampaignManagers = ["/webhooks", "/alerts"];
const permissionsOfScreensLikeSupport: Permission[] = [
  "webhooks.view",
  "webhooks.replay",
  "webhooks.reconcile",
  "alerts.view",
  "alerts.manage",
  "apiLog.read",
  "audit.read",
  "bookings.topUp",
  "instructions.preview",
  "travelers.redeem",
];

/**
 * Opens a screen, waits until it has rendered (its h1, every streamed widget in) and runs axe on it. Fails at once if
 * the console's error screen shows instead; axe's findings are collected in `findings` when given, so one run lists
 * every screen's violations.
 */
async function checkScreen(page: Page, url: string, findings?: string[], axe = true) {
  await page.goto(url);
  const heading = page.getByRole("heading", { level: 1 }).first();
  await heading.waitFor();
  expect(await heading.textContent(), `${url} shows the console error screen`).not.toBe(
    "This screen could not be shown",
  );
  await page.getByTestId("widget-skeleton").first().waitFor({ state: "detached" });
  if (!axe) return;
  if (!findings) return expectAccessible(page, url);
  await expectAccessible(page, url).catch((error: Error) => findings.push(error.message));
}

/** The first row link of the screen's table that leads to `pattern`, e.g. a detail page. */
async function firstLinkTo(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page
    .locator("main table a[href]")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  const href = hrefs.find((value): value is string => value !== null && pattern.test(value.split("?")[0]!));
  if (!href) throw new Error(`${pathAndQuery(page)} links to nothing like ${pattern}`);
  return href;
}

describe("accessibility (axe-core: no serious or critical violation)", () => {
  it("the screens left to support's journey read only permissions a campaign manager has exactly as support", () => {
    for (const permission of permissionsOfScreensLikeSupport) {
      expect(may({ role: "campaign_manager" }, permission), permission).toBe(may({ role: "support" }, permission));
    }
  });

  it.each(roles)("the journeys named for $role's screens still wait for them", ({ demo, role }) => {
    for (const { heading, by } of checkedElsewhere[role]) {
      const source = fs.readFileSync(path.join(import.meta.dirname, by), "utf8");
      expect(source, `${by} signs in as DEMO.${demo}`).toContain(`DEMO.${demo}`);
      if (heading === "Catalog") expect(source, `${by} calls ensureCatalog()`).toMatch(/ensureCatalog\(page\)/);
      else expect(source, `${by} waits for "${heading}" with expectScreen()`).toMatch(/expectScreen\(/);
      if (heading !== "Catalog") expect(source, `${by} names "${heading}"`).toContain(`"${heading}"`);
    }
  });

  it.each(roles)(
    "every console screen $account.role may use, but those other journeys check",
    async ({ account, role }) => {
      const { page } = await browser.signedIn(account);

      const findings: string[] = [];
      const check = (url: string) => checkScreen(page, url, findings);
      /** Opens a list only to follow one of its links; axe has seen it here or in another journey. */
      const open = (url: string) => checkScreen(page, url, findings, false);
      const likeSupport = role === "campaign_manager" ? likeSupportForCampaignManagers : [];
      const elsewhere = new Set([...checkedElsewhere[role].map((screen) => screen.url), ...likeSupport]);

      const screens = [...screensFor(role).map((screen) => screen.href), ...subScreens[role]];
      for (const url of screens) if (!elsewhere.has(url)) await check(url);
      if (role === "campaign_manager") {
        // Its detail screens are support's (likeSupportForCampaignManagers).
        expect(findings.join("\n")).toBe("");
        return;
      }

      const traveler = `e2e_a11y_${role}_${Date.now()}`;
      webhookSend("esim.installed", traveler);

      // Detail screens, reached the way staff reach them: from their list.
      await check(`/webhooks?user=${traveler}`);
      await check(await firstLinkTo(page, /^\/webhooks\/\d+$/));
      await open(`/webhooks?user=${traveler}`);
      await check(await firstLinkTo(page, /^\/travelers\/[^/]+$/));
      expect(pathOf(page)).toBe(`/travelers/${traveler}`);
      for (const tab of ["timeline", "usage"]) await check(`/travelers/${traveler}?tab=${tab}`);
      if (role === "admin") {
        await open("/audit");
        await check(await firstLinkTo(page, /^\/audit\/\d+$/));
        await open("/api-log");
        await check(await firstLinkTo(page, /^\/api-log\/\d+$/));
      }
      expect(findings.join("\n")).toBe("");
    },
    // The admin's visit took 195 s on a two-core machine at load average 21: a bound well above that, not a race.
    360_000,
  );

  it("on a phone the navigation is a menu, closed until its button opens it", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    await page.setViewportSize({ width: 390, height: 844 });
    await checkScreen(page, "/travelers");
    const toggle = page.getByRole("button", { name: "Menu", exact: true });
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.count()).toBe(0);
    // The screen's own heading is on the first screen, not below a list of every screen.
    const box = await page.getByRole("heading", { level: 1 }).boundingBox();
    expect(box!.y).toBeLessThan(844 / 2);

    await toggle.focus();
    await page.keyboard.press("Enter");
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    await nav.getByRole("link", { name: "Staff", exact: true }).waitFor();
    await expectAccessible(page, "/travelers with the menu open");
    await page.keyboard.press("Escape");
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Menu");

    await toggle.click();
    await nav.getByRole("link", { name: "Staff", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/staff");
    await page.getByRole("heading", { level: 1, name: "Staff" }).waitFor();
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");

    // From the md breakpoint up the sidebar shows and the menu button does not.
    await page.setViewportSize({ width: 1280, height: 800 });
    await nav.getByRole("link", { name: "Travelers", exact: true }).waitFor();
    expect(await toggle.isVisible()).toBe(false);
  });

  it("cards and panels draw the theme's border, never the text colour", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    await checkScreen(page, "/webhooks");
    const colours = await page.evaluate(() => {
      const probe = document.createElement("div");
      probe.style.borderColor = "var(--border)";
      document.body.append(probe);
      const theme = getComputedStyle(probe).borderTopColor;
      probe.remove();
      const sections = [...document.querySelectorAll("main section, main [class*='rounded-lg']")];
      return { theme, borders: sections.map((element) => getComputedStyle(element).borderTopColor) };
    });
    expect(colours.borders.length).toBeGreaterThan(0);
    expect(new Set(colours.borders)).toEqual(new Set([colours.theme]));
  });
});
