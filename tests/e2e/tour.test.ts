import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO, browserPerFile, expectScreen } from "./support";

// The README's tour, taken by the e2e suite: each stop is a journey through a real screen of the production build,
// and its screenshot is what the README shows. `npm run docs:screenshots` (E2E_SCREENSHOTS=update) writes them to
// public/screenshots/ to be committed; otherwise they go to a temporary folder, so a test run leaves the checkout
// clean, and the test checks that the README shows exactly these stops and that each committed image exists.

const browser = browserPerFile();
const update = process.env.E2E_SCREENSHOTS === "update";
const committed = path.join(process.cwd(), "public", "screenshots");
const out = update ? committed : fs.mkdtempSync(path.join(os.tmpdir(), "console-tour-"));

type Stop = { name: string; account: { email: string; password: string }; open: (page: Page) => Promise<void> };

const at = (route: string, heading: string) => async (page: Page) => {
  await page.goto(route);
  await expectScreen(page, heading);
};

const TOUR: Stop[] = [
  { name: "overview", account: DEMO.admin, open: at("/", "Overview") },
  {
    name: "command-palette",
    account: DEMO.support,
    open: async (page) => {
      await at("/", "Overview")(page);
      await page.keyboard.press("Control+k");
      const dialog = page.getByRole("dialog", { name: "Command palette" });
      await dialog.waitFor();
      await dialog.getByRole("combobox").fill("cust_");
      await dialog
        .getByRole("option", { name: /^cust_/ })
        .first()
        .waitFor();
      await dialog.getByText("Searching…").waitFor({ state: "detached" });
    },
  },
  { name: "travelers", account: DEMO.support, open: at("/travelers", "Travelers") },
  {
    name: "traveler",
    account: DEMO.support,
    open: async (page) => {
      await at("/travelers", "Travelers")(page);
      const link = page.locator('[data-testid^="traveler-row-"] a').first();
      const externalUserId = (await link.textContent())!.trim();
      await link.click();
      await expectScreen(page, externalUserId);
      await page.getByTestId("header-iccid").or(page.getByText("No eSIM yet")).first().waitFor();
    },
  },
  { name: "bookings", account: DEMO.campaigns, open: at("/bookings", "Bookings") },
  { name: "bookings-at-hubby", account: DEMO.campaigns, open: at("/bookings/hubby", "Bookings") },
  { name: "campaigns", account: DEMO.campaigns, open: at("/campaigns", "Campaigns") },
  { name: "promo-codes", account: DEMO.campaigns, open: at("/promo-codes", "Promo codes") },
  { name: "webhooks", account: DEMO.admin, open: at("/webhooks", "Webhooks") },
  { name: "forwarding", account: DEMO.admin, open: at("/forwarding", "Forwarding") },
  { name: "alerts", account: DEMO.admin, open: at("/alerts", "Alerts") },
  { name: "instructions", account: DEMO.support, open: at("/instructions", "Installation instructions") },
  { name: "audit", account: DEMO.admin, open: at("/audit", "Audit log") },
];

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(1, 4).toString("latin1"), file).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("the README's tour", () => {
  it.each(TOUR)("$name", async ({ name, account, open }) => {
    const { page } = await browser.signedIn(account);
    await page.setViewportSize({ width: 1280, height: 800 });
    await open(page);
    await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file });
    expect(pngSize(file)).toEqual({ width: 1280, height: 800 });
  });

  it("the README shows each stop, from public/screenshots/, and nothing else", () => {
    const readme = fs.readFileSync(path.join(process.cwd(), "README.md"), "utf8");
    const shown = [...readme.matchAll(/\]\(public\/screenshots\/([\w-]+)\.png\)/g)].map((match) => match[1]);
    expect(shown).toEqual(TOUR.map((stop) => stop.name));
    for (const stop of TOUR) expect(pngSize(path.join(committed, `${stop.name}.png`)).width).toBe(1280);
  });
});
