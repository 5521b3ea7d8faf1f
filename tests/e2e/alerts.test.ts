import { describe, expect, it } from "vitest";
import { DEMO, E2E_URL, browserPerFile, expectScreen, gotoForbidden, textOf } from "./support";

// An admin lowers a rule, the condition is made true (a webhook with a wrong key), the bell shows the incident,
// acknowledging it records who; support sees who acknowledged it and cannot change rules.
const browser = browserPerFile();
const RULE = "Webhook authentication failures";

describe("alerts", () => {
  it("an admin sets a rule, a refused webhook makes it true, the bell shows it, acknowledging records who", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Alert rules", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/alerts/rules");
    await expectScreen(page, "Alert rules");

    // The chat webhook may not point into the console's own network (no ALERT_CHAT_ALLOW_PRIVATE here): the
    // refusal is a sentence beside the field, and nothing is saved.
    await page.getByLabel("Chat webhook URL (Slack-compatible)").fill("http://127.0.0.1:9/hooks/chat");
    await page.getByRole("button", { name: "Save webhook" }).click();
    await page
      .getByText(
        "127.0.0.1 is a loopback, private or link-local address, refused unless ALERT_CHAT_ALLOW_PRIVATE=true.",
      )
      .waitFor();
    expect(await page.getByRole("button", { name: "Send a test message" }).count()).toBe(0);

    const rule = page.getByTestId("rule-webhook_auth_failures");
    await rule.getByLabel("refusals per 10 minutes (alert above)").fill("0");
    await rule.getByRole("button", { name: `Save rule ${RULE}` }).click();
    await page.getByText(`Rule "${RULE}" saved.`).waitFor();
    await page
      .getByText(/^Changed .* by admin@demo\.hubby\.test$/)
      .first()
      .waitFor();

    const refused = await fetch(`${E2E_URL}/api/webhooks/hubby`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "not-the-key" },
      body: JSON.stringify({ event: "esim.installed", data: {} }),
    });
    expect(refused.status).toBe(401);

    await page.getByRole("button", { name: "Evaluate now" }).click();
    await page.getByText(/^Rules evaluated: /).waitFor();
    const count = page.getByTestId("alert-bell-count");
    await count.waitFor();
    expect(Number(await textOf(count))).toBeGreaterThanOrEqual(1);

    await page.getByTestId("alert-bell").click();
    await page.waitForURL((url) => url.pathname === "/alerts");
    await expectScreen(page, "Alerts");
    // Opening the Alerts page reads them: the bell stops counting these.
    await count.waitFor({ state: "detached" });

    await page.goto("/alerts?state=open&rule=webhook_auth_failures");
    const row = page.locator('[data-testid^="incident-"]').filter({ hasText: /refused in 10 minutes/ });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const link = row.getByRole("link", { name: /refused in 10 minutes/ });
    expect(await link.getAttribute("href")).toBe("/webhooks");
    const id = ((await row.getAttribute("data-testid")) ?? "").replace("incident-", "");
    await row.getByRole("button", { name: `Acknowledge incident ${id}` }).click();
    // The action refreshes the page: acknowledged, the incident leaves this list of open, unacknowledged ones.
    await row.waitFor({ state: "detached" });
    await page.goto(`/alerts?incident=${id}`);
    const acknowledged = page.getByTestId(`acknowledged-by-${id}`);
    await acknowledged.waitFor();
    expect(await textOf(acknowledged)).toContain(`${DEMO.admin.name} (${DEMO.admin.email})`);

    // The webhook inbox's health panel lists the same incident, with who acknowledged it.
    await page.goto("/webhooks");
    const incidents = page.getByTestId("webhook-incidents");
    await incidents.waitFor();
    expect(await textOf(incidents)).toContain(`acknowledged by ${DEMO.admin.name}`);

    // Put the rule back, so other files' refused webhooks open nothing.
    await page.goto("/alerts/rules");
    await rule.getByLabel("refusals per 10 minutes (alert above)").fill("20");
    await rule.getByRole("button", { name: `Save rule ${RULE}` }).click();
    await page.getByText(`Rule "${RULE}" saved.`).waitFor();
  });

  it("support sees incidents and who acknowledged them, chooses alert emails, and cannot change rules", async () => {
    const { page } = await browser.signedIn(DEMO.support);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Alerts", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/alerts");
    await expectScreen(page, "Alerts");
    expect(await nav.getByRole("link", { name: "Alert rules", exact: true }).count()).toBe(0);
    await page.goto("/alerts?rule=webhook_auth_failures");
    await page.getByText(`${DEMO.admin.name} (${DEMO.admin.email})`).first().waitFor();

    await page.goto("/account");
    const section = page.locator("#alert-emails");
    const departures = section.getByLabel(/Departing soon, eSIM not installed/);
    const hubby = section.getByLabel(/Hubby unreachable/);
    // Support's defaults: departures and 80 %; Hubby's API rules are for those who read the API log.
    expect(await departures.isChecked()).toBe(true);
    expect(await hubby.count()).toBe(0);
    await departures.uncheck();
    await section.getByRole("button", { name: "Save alert emails" }).click();
    await page.getByText("Alert emails saved: 1 rule(s).").waitFor();
    await page.reload();
    expect(await section.getByLabel(/Departing soon, eSIM not installed/).isChecked()).toBe(false);

    await gotoForbidden(page, "/alerts/rules");
  });
});
