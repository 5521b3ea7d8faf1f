import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startForwardReceiver } from "../support/forward-receiver";
import { DEMO, browserPerFile, expectScreen, gotoForbidden } from "./support";

// An admin forwards Hubby's webhooks to a partner endpoint: a real receiver on loopback (the e2e server runs with
// HUBBY_FORWARD_ALLOW_PRIVATE) that verifies every signature with the standardwebhooks package. It answers the
// first request 410 Gone, then 200: the endpoint is disabled, enabled again, and the failed message recovered.

const browser = browserPerFile();
let receiver: Awaited<ReturnType<typeof startForwardReceiver>>;
const answers = [410];

beforeAll(async () => {
  receiver = await startForwardReceiver({ status: () => answers.shift() ?? 200 });
});
afterAll(() => receiver?.close());

/**
 * Reloads `url` until `check` finds what it waits for: deliveries run in the background (pg-boss), so how long they
 * take depends on the machine's load. Polled on the condition, with a bound far above a loaded machine's delay.
 */
async function untilShown(page: Page, url: string, check: (page: Page) => Promise<boolean>) {
  await expect
    .poll(
      async () => {
        await page.goto(url);
        return check(page);
      },
      { timeout: 60_000, interval: 500, message: `${url} never showed what was expected` },
    )
    .toBe(true);
}

describe("forwarding", () => {
  it("an admin adds an endpoint, sends a test event, sees it in the log, and recovers the failed message", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Forwarding", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/forwarding");
    await expectScreen(page, "Forwarding");

    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("URL").fill(receiver.url);
    await dialog.getByLabel("Description").fill("Partner push service");
    // A type the sandbox never sends: only the test event reaches this endpoint.
    await dialog.getByLabel("Event types").fill("partner.e2e_only");
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("endpoint-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets = [secret];

    await page.getByRole("link", { name: receiver.url }).click();
    await page.waitForURL((url) => /^\/forwarding\/endpoints\/\d+$/.test(url.pathname));
    const endpointPath = new URL(page.url()).pathname;
    const endpointId = endpointPath.split("/").at(-1)!;
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByText("Test event queued").waitFor();

    // The receiver answered 410: the message failed and the endpoint is disabled, loudly.
    const logUrl = `/forwarding/log?endpoint=${endpointId}`;
    const messages = page.locator("[data-testid^=message-]");
    await untilShown(page, logUrl, async (current) => (await current.getByText("failed", { exact: true }).count()) > 0);
    expect(await messages.count()).toBe(1);
    expect(await messages.first().textContent()).toContain("package.activated");
    // The console layout announces it on every page an admin opens, not only on the forwarding screens.
    const banner = page.getByTestId("forwarding-disabled-notice").getByRole("alert");
    for (const path of ["/", "/forwarding"]) {
      await page.goto(path);
      const text = (await banner.textContent()) ?? "";
      expect(text).toContain("An endpoint was disabled");
      expect(text).toContain(receiver.url);
      expect(text).toContain("The endpoint answered 410 Gone.");
      expect(text).toMatch(/since \d{4}-\d{2}-\d{2}/);
    }

    // Enabled again through the banner's link, then every failed message since yesterday is sent again.
    await banner.getByRole("link", { name: "Re-enable" }).click();
    await page.waitForURL((url) => url.pathname === endpointPath);
    await page.getByLabel("Enabled").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.goto("/");
    await page.getByTestId("current-user").waitFor();
    expect(await page.getByTestId("forwarding-disabled-notice").count()).toBe(0);
    await page.goto(endpointPath);
    await page.getByRole("button", { name: "Recover" }).click();
    await page.getByText("1 failed message(s) will be sent again.").waitFor();
    await untilShown(
      page,
      logUrl,
      async (current) => (await current.getByText("delivered", { exact: true }).count()) > 0,
    );
    await messages.first().getByRole("link", { name: /^2/ }).click();
    await page.getByRole("table", { name: "Attempts" }).getByText("410", { exact: true }).waitFor();

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.webhookId).toBe(receiver.received[0]!.webhookId);
    expect(receiver.received.map((request) => request.verifiedWith)).toEqual([[true], [true]]);
    expect(JSON.parse(receiver.received[1]!.body.toString("utf8"))).toMatchObject({ event: "package.activated" });
  }, 180_000);

  it.each([DEMO.support, DEMO.campaigns])("$role has no link to it and gets 403 on /forwarding", async (account) => {
    const { page } = await browser.signedIn(account);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "My account" }).waitFor();
    expect(await nav.getByRole("link", { name: "Forwarding", exact: true }).count()).toBe(0);
    await gotoForbidden(page, "/forwarding");
    await gotoForbidden(page, "/forwarding/log");
  });
});
