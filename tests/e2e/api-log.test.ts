import { describe, expect, it } from "vitest";
import {
  DEMO,
  browserPerFile,
  ensureCatalog,
  expectAccessible,
  expectBrowserError,
  expectScreen,
  failedLoad,
  pathOf,
} from "./support";

const FORBIDDEN_HEADING = "You do not have access to this page";
const HEADING = "Hubby API log";

const browser = browserPerFile();

describe("the Hubby API log", () => {
  it("an admin opens it from the sidebar, filters, and the URL and form keep the filter", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: HEADING, exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/api-log");
    await expectScreen(page, HEADING);
    expect(await nav.getByRole("link", { name: HEADING, exact: true }).getAttribute("aria-current")).toBe("page");

    const search = page.getByRole("search");
    for (const label of ["Search API log", "Endpoint", "Method", "Outcome", "From", "To"]) {
      expect(await search.getByLabel(label, { exact: true }).count(), label).toBe(1);
    }
    await page.getByText("Calls", { exact: true }).waitFor();
    await page.getByText("Median (p50)", { exact: true }).waitFor();

    await search.getByLabel("Search API log", { exact: true }).fill("trav-e2e-nobody");
    await search.getByLabel("Method", { exact: true }).selectOption("GET");
    await search.getByLabel("Outcome", { exact: true }).selectOption({ label: "Failed (any)" });
    await search.getByLabel("From", { exact: true }).fill("2026-01-01");
    await search.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.searchParams.get("outcome") === "failed");
    await expectScreen(page, HEADING);

    const params = new URL(page.url()).searchParams;
    expect(pathOf(page)).toBe("/api-log");
    expect(Object.fromEntries(params)).toMatchObject({
      q: "trav-e2e-nobody",
      endpoint: "all",
      method: "GET",
      outcome: "failed",
      from: "2026-01-01",
    });
    const form = page.getByRole("search");
    expect(await form.getByLabel("Search API log", { exact: true }).inputValue()).toBe("trav-e2e-nobody");
    expect(await form.getByLabel("Endpoint", { exact: true }).inputValue()).toBe("all");
    expect(await form.getByLabel("Method", { exact: true }).inputValue()).toBe("GET");
    expect(await form.getByLabel("Outcome", { exact: true }).inputValue()).toBe("failed");
    expect(await form.getByLabel("From", { exact: true }).inputValue()).toBe("2026-01-01");
    expect(await form.getByLabel("To", { exact: true }).inputValue()).toBe("");
    await page.getByText("No Hubby API calls match.", { exact: true }).waitFor();

    await page.getByRole("link", { name: "Clear filters" }).click();
    await page.waitForURL((url) => url.pathname === "/api-log" && url.search === "");
    expect(await page.getByRole("search").getByLabel("Outcome", { exact: true }).inputValue()).toBe("all");
  });

  it("rows are one line each and open a detail page with the whole request and response", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    await page.setViewportSize({ width: 1280, height: 800 });
    // The catalog read at start is a Hubby call of the system; it is in the log by the time the catalog shows.
    await ensureCatalog(page);
    await page.goto("/api-log?endpoint=GET%20%2Fdestinations");
    await expectScreen(page, HEADING);
    const table = page.getByRole("table", { name: "Hubby API calls" });
    const row = table.getByRole("row").nth(1);
    const cellHeights = await row.locator("td").evaluateAll((cells) => cells.map((cell) => cell.clientHeight));
    expect(Math.max(...cellHeights), "a row is one text line (plus padding)").toBeLessThan(48);
    const scroll = await page
      .getByRole("region", { name: "Hubby API calls (scrollable)" })
      .evaluate((box) => box.scrollWidth - box.clientWidth);
    expect(scroll, "the table fits a 1280 px screen without sideways scrolling").toBeLessThanOrEqual(0);

    await row.getByRole("link").first().click();
    await page.waitForURL((url) => /^\/api-log\/\d+$/.test(url.pathname));
    await page.getByRole("heading", { level: 1, name: /^GET \/destinations/ }).waitFor();
    await expectAccessible(page);
    const request = page.getByRole("region", { name: "Request", exact: true });
    expect(await request.textContent()).toContain("/destinations");
    // The start-up read is the system's; a Refresh pressed by ensureCatalog() would be the admin's, by name.
    expect(await request.textContent()).toMatch(/system \(no staff member\)|Ada Admin \(admin@demo\.hubby\.test\)/);
    await page.getByRole("region", { name: "Response", exact: true }).getByText("Duration").waitFor();
    await page.getByRole("table", { name: "Attempts of this request" }).getByRole("row").nth(1).waitFor();
  });

  it("a malformed URL still shows the screen, with default filters", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const response = await page.goto("/api-log?page=abc&outcome=nonsense&method=DELETE&from=2026-02-31&endpoint=%25");
    await expectScreen(page, HEADING);
    expect(response?.status()).toBe(200);
    const form = page.getByRole("search");
    expect(await form.getByLabel("Outcome", { exact: true }).inputValue()).toBe("all");
    expect(await form.getByLabel("Method", { exact: true }).inputValue()).toBe("all");
    expect(await form.getByLabel("From", { exact: true }).inputValue()).toBe("");
  });

  it.each([DEMO.support, DEMO.campaigns])("$role has no link to it and gets 403 on /api-log", async (account) => {
    const { page } = await browser.signedIn(account);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "My account" }).waitFor();
    expect(await nav.getByRole("link", { name: HEADING, exact: true }).count()).toBe(0);

    expectBrowserError(page, failedLoad(403), "the forbidden page answers 403");
    const response = await page.goto("/api-log");
    await page.getByRole("heading", { level: 1, name: FORBIDDEN_HEADING, exact: true }).waitFor();
    expect(await page.getByRole("heading", { level: 1, name: HEADING }).count()).toBe(0);
    expect(await page.getByRole("search").count()).toBe(0);
    expect(response?.status(), `HTTP status of GET /api-log for ${account.role}`).toBe(403);
  });
});
