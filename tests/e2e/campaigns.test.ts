import crypto from "node:crypto";
import fs from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@/lib/env";
import {
  DEMO,
  browserPerFile,
  ensureCatalog,
  expectRefusedByRole,
  expectScreen,
  pathOf,
  postServerAction,
  textOf,
  gotoForbidden,
} from "./support";

const browser = browserPerFile();
const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const HEADER = "external_user_id,destination,size,package_type,departure_date,locale,custom_branding\n";
const SANDBOX_URL = process.env.E2E_SANDBOX_URL ?? "";
const sandboxControl = { "x-api-key": SANDBOX_CREDENTIALS.apiKey, "content-type": "application/json" };
const CAMPAIGN_PAGE = /^\/campaigns\/[0-9a-f-]{36}$/;

/** Fills the upload form and submits it ("Dry run"); does not wait for the outcome. */
async function submitUpload(page: Page, name: string, csv: string, fileName = "e2e.csv") {
  await page.goto("/campaigns/new");
  await expectScreen(page, "New campaign");
  await page.getByLabel("Campaign name").fill(name);
  // A 25 MB file crosses the DevTools protocol in base64: on a busy machine that takes longer than an ordinary step.
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: fileName, mimeType: "text/csv", buffer: Buffer.from(csv) }, { timeout: 90_000 });
  await page.getByRole("button", { name: "Dry run" }).click();
}

/** Waits for the campaign page the upload leads to, and returns the campaign's id. */
async function campaignPage(page: Page): Promise<string> {
  await page.waitForURL((url) => CAMPAIGN_PAGE.test(url.pathname), { timeout: 60_000 });
  return pathOf(page).split("/")[2]!;
}

/** Waits until the run's progress bar shows 100%. */
async function runFinished(page: Page, timeout = 60_000) {
  await page.waitForFunction(
    () =>
      document.querySelector('[role="progressbar"][aria-label="Campaign progress"]')?.getAttribute("aria-valuenow") ===
      "100",
    undefined,
    { timeout },
  );
}

/**
 * Presses the dry run's Run button and confirms: the dialog names the row count and the cost again, and nothing starts
 * until its own button is pressed.
 */
async function confirmRun(page: Page, rows: number) {
  const dialog = page.getByRole("dialog", { name: new RegExp(`^Run ${rows} rows?, about €\\d`) });
  await dialog.waitFor();
  expect(await page.getByRole("progressbar", { name: "Campaign progress" }).count()).toBe(0);
  await dialog.getByRole("button", { name: `Run ${rows} row${rows === 1 ? "" : "s"}`, exact: true }).click();
  await dialog.waitFor({ state: "hidden" });
}

async function sandboxFaults(method: "POST" | "DELETE", rule?: Record<string, unknown>) {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/faults`, {
    method,
    headers: sandboxControl,
    body: rule ? JSON.stringify(rule) : undefined,
  });
  expect(response.status).toBe(200);
}

/** How many of the sandbox's travelers whose id starts with `prefix` hold a booking (queued or redeemed). */
async function travelersBookedAtHubby(prefix: string): Promise<number> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/travelers`, { headers: sandboxControl });
  expect(response.status).toBe(200);
  const travelers = (
    (await response.json()) as { data: { external_user_id: string; queued: number; packages: string[] }[] }
  ).data;
  return travelers.filter(
    (traveler) => traveler.external_user_id.startsWith(prefix) && traveler.queued + traveler.packages.length > 0,
  ).length;
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
      `e2e_c_${tag}_4,ZZ,1GB,,${inTwoDays},,\n` +
      // Enough rows (all departed) that the background check is still going when the page opens.
      Array.from({ length: 12_000 }, (_, index) => `e2e_c_${tag}_old_${index},GR,1GB,,2020-01-01,,\n`).join("");

    await submitUpload(page, `E2E ${tag}`, csv);
    await campaignPage(page);

    // The upload answers at once; the page shows the check's progress, then its result, without a reload.
    const checking = page.getByTestId("check-counts");
    await checking.waitFor({ timeout: 30_000 });
    expect(await textOf(checking)).toMatch(/^Checking the file: [\d,]+ (of ~[\d,]+ rows|rows checked)$/);
    expect(await page.getByRole("button", { name: /^Run: / }).count()).toBe(0);
    await page.evaluate(() => ((window as { e2eSameDocument?: boolean }).e2eSameDocument = true));

    const rows = page.getByRole("table", { name: "Campaign rows" });
    await rows.getByText("ZZ is not in the catalog", { exact: false }).waitFor({ timeout: 90_000 });
    expect(await page.evaluate(() => (window as { e2eSameDocument?: boolean }).e2eSameDocument)).toBe(true);
    expect(await checking.count()).toBe(0);
    expect(await textOf(page.getByRole("heading", { level: 1 }))).toContain("draft");
    expect(await textOf(rows.getByRole("row").nth(1))).toContain("5");

    const run = page.getByRole("button", { name: /^Run: issue 3 bookings for €/ });
    await run.click();
    await confirmRun(page, 3);
    const bar = page.getByRole("progressbar", { name: "Campaign progress" });
    await bar.waitFor({ timeout: 30_000 });
    await runFinished(page);
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
  }, 180_000);

  it("a file with its own headers goes through the column-mapping step, then the dry run", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await ensureCatalog(page);
    const tag = crypto.randomBytes(3).toString("hex");
    const csv =
      "traveller,country,plan,leaves\n" +
      `e2e_m_${tag}_1,GR,1GB,${inTwoDays}T09:00:00+02:00\n` +
      `e2e_m_${tag}_2,FR,3GB,${inTwoDays}\n`;

    await submitUpload(page, `E2E mapping ${tag}`, csv, "own-headers.csv");
    const mapping = page.getByRole("group", { name: "Match your columns" });
    await mapping.waitFor({ timeout: 30_000 });
    expect(await textOf(mapping)).toContain("Choose the column for external_user_id, departure_date.");
    expect(pathOf(page)).toBe("/campaigns/new");
    // "country" is a known name for destination; the others are chosen by hand.
    expect(await mapping.getByLabel("destination", { exact: true }).inputValue()).toBe("country");
    await mapping.getByLabel("external_user_id", { exact: true }).selectOption("traveller");
    await mapping.getByLabel("size (optional)", { exact: true }).selectOption("plan");
    await mapping.getByLabel("departure_date", { exact: true }).selectOption("leaves");
    await page.getByRole("button", { name: "Dry run" }).click();

    await campaignPage(page);
    await page.getByRole("button", { name: /^Run: issue 2 bookings for €/ }).waitFor({ timeout: 60_000 });
    const rows = page.getByRole("table", { name: "Campaign rows" });
    await page.getByRole("link", { name: "all", exact: true }).click();
    await rows.getByText(`e2e_m_${tag}_2`).waitFor();
    expect(await textOf(rows.getByRole("row").filter({ hasText: `e2e_m_${tag}_1` }))).toContain("pending");
  });

  it("a running campaign pauses, stays paused, and resumes to 100%", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await ensureCatalog(page);
    const tag = crypto.randomBytes(3).toString("hex");
    let csv = HEADER;
    for (let i = 1; i <= 8; i++) csv += `e2e_p_${tag}_${i},GR,1GB,,${inTwoDays},,\n`;
    await submitUpload(page, `E2E pause ${tag}`, csv);
    const id = await campaignPage(page);
    const run = page.getByRole("button", { name: /^Run: issue 8 bookings for €/ });
    await run.waitFor({ timeout: 60_000 });

    // Hubby answers each booking after 8 s: the first rows are still in flight when Pause is pressed.
    await sandboxFaults("POST", { kind: "latency", method: "POST", path: "/bookings", ms: 8_000 });
    try {
      await run.click();
      await confirmRun(page, 8);
      await page.getByRole("button", { name: "Pause", exact: true }).click({ timeout: 30_000 });
      await page.getByRole("button", { name: "Resume", exact: true }).waitFor();
      // The controls follow the progress poll; the heading follows the page's refresh after the action, which may
      // land a moment later on a busy machine.
      await page.getByRole("heading", { level: 1, name: /paused/ }).waitFor();
      const paused = await textOf(page.getByTestId("progress-counts"));
      expect(Number(/remaining (\d+) of 8/.exec(paused)?.[1])).toBeGreaterThan(0);
    } finally {
      await sandboxFaults("DELETE");
    }

    // Paused means no new row is sent. Wait until the rows in flight when Pause was pressed have settled (no row is
    // "sending"): with the latency gone, a worker that went on claiming rows would have sent all 8 by then.
    const inFlight = page
      .getByRole("table", { name: "Campaign rows" })
      .getByRole("cell", { name: "sending", exact: true });
    await expect
      .poll(
        async () => {
          await page.goto(`/campaigns/${id}?rows=all`);
          await page.getByRole("button", { name: "Resume", exact: true }).waitFor();
          return inFlight.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(0);
    const stillPaused = await textOf(page.getByTestId("progress-counts"));
    const done = Number(/done (\d+)/.exec(stillPaused)?.[1]);
    expect(done).toBeLessThan(8);
    // Hubby holds exactly the bookings the console counts as done: nothing was sent after the pause.
    expect(await travelersBookedAtHubby(`e2e_p_${tag}_`)).toBe(done);

    await page.getByRole("button", { name: "Resume", exact: true }).click();
    await runFinished(page, 90_000);
    expect(await textOf(page.getByTestId("progress-counts"))).toContain("done 8");
    expect(await textOf(page.getByRole("heading", { level: 1 }))).toContain("done");
  }, 180_000);

  it("the funnel on a finished campaign opens the travelers screen on those travelers, and adds no saved view", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    await ensureCatalog(page);
    const tag = crypto.randomBytes(3).toString("hex");
    const travelers = [`e2e_f_${tag}_1`, `e2e_f_${tag}_2`];
    const csv = HEADER + travelers.map((id) => `${id},GR,1GB,,${inTwoDays}T09:00:00+02:00,,\n`).join("");
    await submitUpload(page, `E2E funnel ${tag}`, csv);
    const id = await campaignPage(page);
    await page.getByRole("button", { name: /^Run: issue 2 bookings for €/ }).click({ timeout: 60_000 });
    await confirmRun(page, 2);
    await runFinished(page);

    // The console learns of the travelers from Hubby's webhooks (booking.within_cutoff: departure within 7 days).
    const issued = page.getByTestId("funnel-issued");
    await expect
      .poll(
        async () => {
          await page.goto(`/campaigns/${id}`);
          return textOf(issued);
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toMatch(/^2 /);
    await issued.click();
    await page.waitForURL(
      (url) =>
        url.pathname === "/travelers" &&
        url.searchParams.get("campaign") === id &&
        url.searchParams.get("step") === "issued",
    );
    await expectScreen(page, "Travelers");
    for (const traveler of travelers) await page.getByTestId(`traveler-row-${traveler}`).waitFor();
    expect(await page.locator('[data-testid^="traveler-row-"]').count()).toBe(2);

    // The funnel is the campaign's own: starting it saved no team view, so no chip of the travelers page names it.
    await page.goto("/travelers");
    const chips = page.getByRole("navigation", { name: "Views" });
    await chips.waitFor();
    expect(await chips.getByRole("link", { name: `E2E funnel ${tag}` }).count()).toBe(0);
  }, 150_000);

  it("a file over 10 MB uploads and its check starts; one over 24 MB is refused with a message", async () => {
    const { page } = await browser.signedIn(DEMO.campaigns);
    // 48,000 rows with 200-character ids: about 11 MB, past the 10 MB a proxied request body is cut at.
    const rows: string[] = [HEADER];
    for (let i = 0; i < 48_000; i++) {
      rows.push(`${`e2e_large_${i}_`.padEnd(200, "x")},GR,1GB,data-limited,${inTwoDays},en,\n`);
    }
    const large = rows.join("");
    expect(large.length).toBeGreaterThan(10.5 * 1024 * 1024);
    await submitUpload(page, "Large file", large, "large.csv");
    await campaignPage(page);
    await page.getByText("Checking the file").first().waitFor({ timeout: 60_000 });

    await submitUpload(page, "Too large", "x".repeat(25 * 1024 * 1024), "huge.csv");
    await page.getByText(/larger than 24 MB/).waitFor();
    expect(pathOf(page)).toBe("/campaigns/new");
  }, 150_000);

  it("a support user is refused the page (403) and the action", async () => {
    const { page, context } = await browser.signedIn(DEMO.support);
    await gotoForbidden(page, "/campaigns/new");
    expect(pathOf(page)).toBe("/campaigns/new");

    const action = await postServerAction(context, {
      page: "/campaigns",
      file: "app/(console)/campaigns/[id]/actions.ts",
      action: "startCampaignAction",
      fields: { campaignId: crypto.randomUUID(), checksum: "0".repeat(64) },
    });
    await expectRefusedByRole(action);
  });
});
