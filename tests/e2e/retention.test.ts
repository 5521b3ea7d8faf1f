import { describe, expect, it } from "vitest";
import { DEMO, browserPerFile, expectScreen, gotoForbidden } from "./support";

const FORBIDDEN_HEADING = "You do not have access to this page";
const HEADING = "Retention";

const browser = browserPerFile();

describe("the Retention screen", () => {
  it("an admin opens it from the sidebar, changes a period, sees it saved and audited; below the floor is refused", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: HEADING, exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/retention");
    await expectScreen(page, HEADING);
    for (const job of ["webhooks", "apiLog", "auditLog"]) await page.getByTestId(`retention-job-${job}`).waitFor();
    await page.getByRole("heading", { name: "Stored webhook months" }).waitFor();

    const months = page.getByLabel("Webhook events: months kept");
    // A value of this run, so a second run of the journey on the same data changes something too.
    const wanted = String(14 + (Date.now() % 50));
    await months.fill(wanted);
    const audit = page.getByLabel("Audit log: years kept");
    await audit.fill("0");
    await page.getByRole("button", { name: "Save retention" }).click();
    await page.getByText(/at least 1 year/).waitFor();
    expect(await page.getByRole("status").filter({ hasText: "Saved:" }).count()).toBe(0);

    await audit.fill("8");
    await page.getByRole("button", { name: "Save retention" }).click();
    await page.getByText(`Saved: webhooks ${wanted} months`).first().waitFor();
    await page.getByTestId("retention-saved").filter({ hasText: DEMO.admin.email }).waitFor();

    // Saved: a fresh load shows the stored values.
    await page.reload();
    await expectScreen(page, HEADING);
    await expect.poll(() => page.getByLabel("Webhook events: months kept").inputValue()).toBe(wanted);
    expect(await page.getByLabel("Audit log: years kept").inputValue()).toBe("8");

    // Audited, with the values before and after.
    await page.goto("/audit?q=settings.retention&result=ok");
    const entry = page
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: "settings.retention", exact: true }) })
      .first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain(wanted);
  });

  it("an admin runs the API log job now and sees its outcome", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    await page.goto("/retention");
    await expectScreen(page, HEADING);
    const row = page.getByTestId("retention-job-apiLog");
    await row.getByRole("button", { name: /Run now/ }).click();
    await page.getByText("Hubby API log: queued").first().waitFor();
    // The job runs in the background; its audit entry is what the screen shows as the last run.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId("retention-job-apiLog").waitFor();
          return page.getByTestId("retention-job-apiLog").getByText("ok", { exact: true }).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
  });

  it.each([DEMO.support, DEMO.campaigns])("$role has no link to it and gets 403 on /retention", async (account) => {
    const { page } = await browser.signedIn(account);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "My account" }).waitFor();
    expect(await nav.getByRole("link", { name: HEADING, exact: true }).count()).toBe(0);

    await gotoForbidden(page, "/retention");
    await page.getByRole("heading", { level: 1, name: FORBIDDEN_HEADING, exact: true }).waitFor();
    expect(await page.getByRole("table", { name: "Retention jobs" }).count()).toBe(0);
  });
});
