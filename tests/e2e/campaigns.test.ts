import crypto from "node:crypto";
import fs from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { FORBIDDEN_MESSAGE } from "@/lib/actions";
import { DEMO, E2E_URL, browserPerFile, expectScreen, pathOf, serverActionId, textOf } from "./support";

const browser = browserPerFile();
const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

async function ensureCatalog(page: Page) {
  await page.goto("/catalog");
  await expectScreen(page, "Catalog");
  if ((await textOf(page.getByTestId("catalog-as-of"))).includes("never")) {
    await page.getByRole("button", { name: "Refresh from Hubby" }).click();
    await page.getByTestId("destination-GR").waitFor({ timeout: 60_000 });
  }
}

describe("campaigns", () => {
  it("a campaign manager dry-runs a file, sees the bad row, runs it to 100% and downloads the results", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await ensureCatalog(page);
    const tag = crypto.randomBytes(3).toString("hex");
    const csv =
      "external_user_id,destination,size,package_type,departure_date,locale,custom_branding\n" +
      `e2e_c_${tag}_1,GR,1GB,data-limited,${inTwoDays}T09:00:00+02:00,,\n` +
      `e2e_c_${tag}_2,"US;CA",3GB,,${inTwoDays},,\n` +
      `e2e_c_${tag}_3,FR,1GB,,${inTwoDays}T18:30:00+01:00,en-GB,\n` +
      `e2e_c_${tag}_4,ZZ,1GB,,${inTwoDays},,\n`;

    await page.goto("/campaigns/new");
    await expectScreen(page, "New campaign");
    await page.getByLabel("Campaign name").fill(`E2E ${tag}`);
    await page
      .getByLabel("CSV file")
      .setInputFiles({ name: "e2e.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.waitForURL((url) => /^\/campaigns\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 60_000 });

    const rows = page.getByRole("table", { name: "Campaign rows" });
    await rows.getByText("ZZ is not in the catalog", { exact: false }).waitFor();
    expect(await textOf(rows.getByRole("row").nth(1))).toContain("5");

    const run = page.getByRole("button", { name: /^Run: issue 3 bookings for €/ });
    await run.click();
    const bar = page.getByRole("progressbar", { name: "Campaign progress" });
    await bar.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => document.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow") === "100",
      undefined,
      { timeout: 60_000 },
    );
    expect(await textOf(page.getByTestId("progress-counts"))).toContain("done 3");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download results (CSV)" }).click(),
    ]);
    const text = fs.readFileSync((await download.path())!, "utf8");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toContain("line,outcome,external_user_id");
    expect(lines.filter((line) => line.includes(",sent,")).length).toBe(3);
    expect(lines.find((line) => line.startsWith("5,"))).toContain("invalid");
  });

  it("a support user is refused the page (403) and the action", async () => {
    const { page, context } = await browser.signedIn(DEMO.support);
    const response = await page.goto("/campaigns/new");
    expect(response?.status()).toBe(403);
    expect(pathOf(page)).toBe("/campaigns/new");

    const form = new FormData();
    form.append("_1_campaignId", crypto.randomUUID());
    form.append("_1_checksum", "0".repeat(64));
    form.append("0", '[null,"$K1"]');
    const action = await context.request.post("/campaigns", {
      headers: {
        "Next-Action": serverActionId("app/(console)/campaigns/[id]/actions.ts", "startCampaignAction"),
        Origin: E2E_URL,
        Accept: "text/x-component",
      },
      multipart: form,
      maxRedirects: 0,
    });
    const body = await action.text();
    expect(body).toContain(`"message":"${FORBIDDEN_MESSAGE}"`);
    expect(body).not.toContain('"ok":true');
  });
});
