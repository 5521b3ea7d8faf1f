import { describe, expect, it } from "vitest";
import { DEMO, browserPerFile, expectScreen, pathAndQuery, pathOf } from "./support";

const browser = browserPerFile();

const everyWidget = [
  "Travelers and activity",
  "At risk",
  "Webhook events per day",
  "Spend and value",
  "Campaigns",
  "Hubby API and webhook health",
];

const roles = [
  { account: DEMO.admin, widgets: everyWidget },
  { account: DEMO.campaigns, widgets: everyWidget },
  {
    account: DEMO.support,
    widgets: ["Travelers and activity", "At risk", "Webhook events per day", "Hubby API and webhook health"],
  },
] as const;

describe("the overview", () => {
  it.each(roles)("$account.role lands on its overview with the widgets of its role", async ({ account, widgets }) => {
    const { page } = await browser.signedIn(account);
    expect(pathOf(page)).toBe("/");
    await expectScreen(page, "Overview");
    const main = page.getByRole("main");
    const shown = main.getByRole("region");
    // Every widget streams in: its skeleton gives way to its figures.
    await main.getByTestId("widget-skeleton").first().waitFor({ state: "detached" });
    expect(await shown.locator("h2").allTextContents()).toEqual(widgets);
    await main.getByTestId("overview-travelers").waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Overview", exact: true }).getAttribute("aria-current")).toBe("page");
  });

  it("keeps the date range in the URL and links the at-risk queue to the travelers list's filter", async () => {
    const { page } = await browser.signedIn(DEMO.support);
    await expectScreen(page, "Overview");
    await page.getByRole("navigation", { name: "Date range" }).getByRole("link", { name: "7 days" }).click();
    await page.waitForURL((url) => url.searchParams.has("from") && url.searchParams.has("to"));
    const from = new URL(page.url()).searchParams.get("from")!;
    const to = new URL(page.url()).searchParams.get("to")!;
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(6);
    await page.getByRole("region", { name: "Webhook events per day" }).getByText(`${from} to ${to} (UTC)`).waitFor();

    await page.getByLabel("From", { exact: true }).fill("2026-01-01");
    await page.getByLabel("To", { exact: true }).fill("2026-01-03");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL((url) => url.searchParams.get("from") === "2026-01-01");
    await page.getByText("2026-01-01 to 2026-01-03 (UTC days)").waitFor();

    const atRisk = page.getByRole("region", { name: "At risk" });
    await atRisk.getByRole("link", { name: /eSIM removed, not reinstalled/ }).click();
    await page.waitForURL((url) => url.pathname === "/travelers");
    expect(pathAndQuery(page)).toBe("/travelers?esim=removed");
    await expectScreen(page, "Travelers");
  });
});
