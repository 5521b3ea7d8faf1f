import { describe, expect, it } from "vitest";
import { DEMO, E2E_URL, browserPerFile, expectScreen, gotoForbidden } from "./support";

const FORBIDDEN_HEADING = "You do not have access to this page";
const HEADING = "Jobs";

const browser = browserPerFile();

describe("the Jobs screen", () => {
  it("an admin opens it from the sidebar and sees every queue with its counts; health says jobs run", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: HEADING, exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/jobs");
    await expectScreen(page, HEADING);
    const queues = page.getByRole("table", { name: "Queues" });
    for (const queue of ["catalog-refresh", "maintenance", "traveler-refresh-run"]) {
      await queues.getByTestId(`queue-${queue}`).waitFor();
    }
    expect(await queues.getByRole("columnheader").allTextContents()).toEqual([
      "Queue",
      "Queued",
      "Active",
      "Completed (24 h)",
      "Failed",
    ]);
    await page.getByRole("heading", { name: "Failed jobs (kept a week)" }).waitFor();

    const health = await (await fetch(`${E2E_URL}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", jobs: { running: true } });
  });

  it.each([DEMO.support, DEMO.campaigns])("$role has no link to it and gets 403 on /jobs", async (account) => {
    const { page } = await browser.signedIn(account);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "My account" }).waitFor();
    expect(await nav.getByRole("link", { name: HEADING, exact: true }).count()).toBe(0);

    await gotoForbidden(page, "/jobs");
    await page.getByRole("heading", { level: 1, name: FORBIDDEN_HEADING, exact: true }).waitFor();
    expect(await page.getByRole("table", { name: "Queues" }).count()).toBe(0);
  });
});
