import { describe, expect, it } from "vitest";
import { sampleEvent } from "@/lib/webhooks/samples";
import { DEMO, browserPerFile, expectScreen, deliverWebhook } from "./support";

// A traveler's personal data (issue 24, docs/guide.md "Personal data"), as an admin meets it on the traveler page:
// the export downloads, a legal hold refuses erasure with its reason, erasure after the hold is cleared leaves the
// page under the pseudonym, and support sees none of it.
const browser = browserPerFile();

describe("personal data", () => {
  it("an admin exports, is refused erasure under a legal hold, then erases; support sees no panel", async () => {
    const externalUserId = `e2e_privacy_${Date.now()}`;
    await deliverWebhook(
      sampleEvent("esim.installed", {
        externalUserId,
        bookingId: `bk_${externalUserId}`,
        packageId: `pkg_${externalUserId}`,
      }),
    );

    const support = await browser.signedIn(DEMO.support);
    await support.page.goto(`/travelers/${externalUserId}`);
    await expectScreen(support.page, externalUserId);
    expect(await support.page.getByTestId("personal-data").count()).toBe(0);
    const refused = await support.page.request.get(`/travelers/${externalUserId}/personal-data?format=json`);
    expect(refused.status()).toBe(403);

    const { page } = await browser.signedIn(DEMO.admin);
    await page.goto(`/travelers/${externalUserId}`);
    await expectScreen(page, externalUserId);
    const panel = page.getByTestId("personal-data");

    const exported = await page.request.get(`/travelers/${externalUserId}/personal-data?format=json`);
    expect(exported.status()).toBe(200);
    expect(await exported.text()).toContain(externalUserId);

    await panel.getByLabel("Legal hold reason").fill("Chargeback dispute 4711");
    await panel.getByRole("button", { name: "Set legal hold" }).click();
    await panel.getByTestId("legal-hold").getByText("Chargeback dispute 4711", { exact: false }).waitFor();

    await panel.getByRole("button", { name: "Erase personal data…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Type the traveler's id to confirm").fill(externalUserId);
    await dialog.getByRole("button", { name: "Erase", exact: true }).click();
    await dialog.getByText("under a legal hold (“Chargeback dispute 4711”)", { exact: false }).waitFor();
    await page.keyboard.press("Escape");

    await panel.getByRole("button", { name: "Clear legal hold" }).click();
    await panel.getByTestId("legal-hold").waitFor({ state: "detached" });

    await panel.getByRole("button", { name: "Erase personal data…" }).click();
    await dialog.getByLabel("Type the traveler's id to confirm").fill(externalUserId);
    await dialog.getByRole("button", { name: "Erase", exact: true }).click();
    await page.waitForURL(/\/travelers\/erased-[0-9a-f]+$/);
    await page.getByTestId("personal-data").getByText("This traveler was erased", { exact: false }).waitFor();

    const old = await page.request.get(`/travelers/${externalUserId}/personal-data?format=json`);
    // The old id asks for nothing: no table holds it any more.
    expect((await old.json()).tables).toEqual({});
  });
});
