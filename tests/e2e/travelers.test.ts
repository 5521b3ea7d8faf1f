import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import { DEMO, browserPerFile, expectScreen } from "./support";

const browser = browserPerFile();
const SANDBOX_URL = process.env.E2E_SANDBOX_URL ?? "";

type SandboxTraveler = { external_user_id: string; esim_status: string | null; queued: number };

async function travelerWithQueuedPackage(): Promise<string> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/travelers`, {
    headers: { "x-api-key": SANDBOX_CREDENTIALS.apiKey },
  });
  const travelers = ((await response.json()) as { data: SandboxTraveler[] }).data;
  const found = travelers.find((traveler) => traveler.queued > 0 && traveler.esim_status !== null);
  if (!found) throw new Error("the demo sandbox has no traveler with a queued package");
  return found.external_user_id;
}

describe("travelers", () => {
  it("support searches a traveler, opens the page, redeems a queued package, and the timeline shows it", async () => {
    const externalUserId = await travelerWithQueuedPackage();
    const { page } = await browser.signedIn(DEMO.support);
    await expectScreen(page, "Travelers");
    await page.getByLabel("Search travelers", { exact: true }).fill(externalUserId);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL((url) => url.pathname === `/travelers/${externalUserId}`);
    await expectScreen(page, externalUserId);
    await page.getByTestId("esim-iccid").waitFor();

    await page.getByRole("button", { name: "Redeem", exact: true }).first().click();
    await page.getByRole("button", { name: "Confirm redeem" }).click();
    await page.getByText("Package queue redeemed successfully").waitFor();
    const timeline = page.getByTestId("timeline");
    await timeline.getByText("travelers.redeem").first().waitFor();
    expect(await timeline.getByText("POST /native/redeem-package").count()).toBeGreaterThan(0);
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
    await page.getByRole("button", { name: "Open traveler's view" }).click();
    const link = page.getByTestId("webview-link").getByRole("link");
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(/\/webview\?t=/);
  });

  it("shows a friendly not-found for an id neither the console nor Hubby knows", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await page.goto("/travelers/nobody_at_all_e2e");
    await expectScreen(page, "Traveler not found");
    expect(await page.getByText("nobody_at_all_e2e", { exact: false }).count()).toBeGreaterThan(0);
  });
});
