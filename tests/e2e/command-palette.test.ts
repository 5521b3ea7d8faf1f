import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { DEMO, browserPerFile, expectScreen, pathOf } from "./support";

const browser = browserPerFile();
const SANDBOX_URL = process.env.E2E_SANDBOX_URL ?? "";

/** A demo traveler whose eSIM Hubby has assigned (so it has an ICCID). */
async function travelerWithEsim(): Promise<string> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/travelers`, {
    headers: { "x-api-key": SANDBOX_CREDENTIALS.apiKey },
  });
  const { data } = (await response.json()) as { data: { external_user_id: string; esim_status: string | null }[] };
  const found = data.find((traveler) => traveler.esim_status !== null);
  if (!found) throw new Error("the demo sandbox has no traveler with an eSIM");
  return found.external_user_id;
}

async function openPalette(page: Page) {
  await page.keyboard.press("Control+k");
  const dialog = page.getByRole("dialog", { name: "Command palette" });
  await dialog.waitFor();
  return dialog;
}

describe("the command palette", () => {
  it("Ctrl+K finds a traveler by a prefix of its ICCID and opens it", async () => {
    const externalUserId = await travelerWithEsim();
    const { page } = await browser.signedIn(DEMO.support);
    await page.goto(`/travelers/${encodeURIComponent(externalUserId)}`);
    await expectScreen(page, externalUserId);
    const iccid = (await page.getByTestId("header-iccid").textContent())!.trim();
    expect(iccid).toMatch(/^\d{18,20}$/);

    await page.goto("/webhooks");
    await expectScreen(page, "Webhooks");
    const dialog = await openPalette(page);
    await dialog.getByRole("combobox").fill(iccid.slice(0, 12));
    const result = dialog.getByRole("option", { name: new RegExp(`ICCID ${iccid}`) });
    await result.waitFor();
    await result.click();
    await page.waitForURL((url) => url.pathname === `/travelers/${encodeURIComponent(externalUserId)}`);
    await expectScreen(page, externalUserId);
  });

  it("offers support the screens and actions of its role only, and the keyboard shortcuts", async () => {
    const { page } = await browser.signedIn(DEMO.support);
    await expectScreen(page, "Overview");
    const dialog = await openPalette(page);
    const options = dialog.getByRole("option");
    await options.first().waitFor();
    const labels = (await options.allTextContents()).map((text) => text.trim());
    expect(labels).toContain("Travelers");
    expect(labels).toContain("Top up…");
    for (const adminOnly of ["Staff", "Audit log", "Hubby API log", "Jobs", "New campaign", "Campaigns"]) {
      expect(labels).not.toContain(adminOnly);
    }
    await dialog.getByRole("combobox").fill("webh");
    await dialog.getByRole("option", { name: "Webhooks", exact: true }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/webhooks");
    await expectScreen(page, "Webhooks");

    // "g t" jumps to the travelers list, "/" focuses its search, "?" lists the shortcuts the role has.
    await page.locator("body").press("g");
    await page.locator("body").press("t");
    await page.waitForURL((url) => url.pathname === "/travelers");
    await expectScreen(page, "Travelers");
    await page.locator("body").press("/");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("q");
    // Leave the search field without clicking (the page's corners are links now: the header's home link).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator("body").press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    expect(await help.textContent()).toContain("Go to Webhooks");
    expect(await help.textContent()).not.toContain("Go to Audit log");
    expect(pathOf(page)).toBe("/travelers");
  });

  it("offers an admin the admin screens", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const dialog = await openPalette(page);
    await dialog.getByRole("option", { name: "Staff", exact: true }).waitFor();
    await dialog.getByRole("option", { name: "New campaign", exact: true }).waitFor();
  });
});
