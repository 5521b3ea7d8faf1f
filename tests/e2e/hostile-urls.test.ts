import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO, browserPerFile, expectBrowserError, failedLoad } from "./support";

// Every screen and download, asked with values nobody types but crawlers, scanners and broken links send: each
// answers with its screen (ignoring what it cannot read, and saying so) or a 404, never a 500 or the error screen.
const browser = browserPerFile();

/** Already percent-encoded, exactly as they go on the wire. */
const HOSTILE = {
  nul: "%00",
  "nul inside": "abc%00def",
  "impossible date": "2026-13-45",
  "February 30": "2026-02-30",
  "truncated percent-encoding": "%E0%A4%A",
  "lone percent": "%",
  "encoded surrogate": "%ED%A0%80",
  "36 dashes": "-".repeat(36),
  "very long": "x".repeat(800),
  unicode: "Zo%C3%AB%20%F0%9F%9A%80%20%E6%97%A5%E6%9C%AC%20%E2%80%AE",
  "huge number": "99999999999999999999999",
  "negative number": "-1",
  "SQL-ish": "%27%20OR%201%3D1--",
} as const;
const hostileValues = Object.entries(HOSTILE);

const ERROR_HEADINGS = ["This screen could not be shown", "The console could not be shown"];
const NOT_FOUND = "Page not found";

/** Screens that read search parameters, the parameters they read, and the headings they may answer with. */
const screens = [
  {
    path: "/travelers",
    params: ["q", "esim", "departing", "crossed", "crossedDays", "idle", "campaign", "step", "sort", "page", "hide"],
    headings: ["Travelers"],
  },
  { path: "/travelers/cust_hostile_urls", params: ["tab", "kinds", "gaps"], headings: ["Traveler not found"] },
  {
    path: "/bookings",
    params: ["status", "kind", "user", "destination", "actor", "from", "to", "page"],
    headings: ["Bookings"],
  },
  { path: "/bookings/hubby", params: ["page", "perPage"], headings: ["Bookings"] },
  { path: "/bookings/new", params: ["topUp", "externalUserId"], headings: ["New booking", "Top up a traveler"] },
  { path: "/campaigns", params: ["page"], headings: ["Campaigns"] },
  { path: "/catalog", params: ["q", "kind"], headings: ["Catalog"] },
  {
    path: "/webhooks",
    params: ["type", "status", "from", "to", "user", "booking", "package", "sort", "page"],
    headings: ["Webhooks"],
  },
  {
    path: "/instructions",
    params: ["externalUserId", "row", "locale", "customDevice", "customOs", "customVersion", "brand"],
    headings: ["Installation instructions"],
  },
  { path: "/staff", params: ["q", "page", "sort", "status"], headings: ["Staff"] },
  { path: "/audit", params: ["q", "result", "from", "to", "page"], headings: ["Audit log"] },
  {
    path: "/api-log",
    params: ["q", "endpoint", "method", "outcome", "from", "to", "page"],
    headings: ["Hubby API log"],
  },
] as const;

/** Screens with an id in the path: a value that cannot be an id answers 404 (or, for travelers, "not found"). */
const idScreens = [
  { path: (id: string) => `/travelers/${id}`, headings: ["Traveler not found"] },
  { path: (id: string) => `/bookings/${id}`, headings: [] },
  { path: (id: string) => `/campaigns/${id}`, headings: [] },
  { path: (id: string) => `/webhooks/${id}`, headings: [] },
  { path: (id: string) => `/instructions/snapshots/${id}`, headings: [] },
] as const;

const idDownloads = [
  (id: string) => `/campaigns/${id}/progress`,
  (id: string) => `/campaigns/${id}/rows.csv`,
  (id: string) => `/campaigns/${id}/rows.csv?only=${id}`,
  (id: string) => `/travelers/export.csv?q=${id}&esim=${id}&departing=${id}&campaign=${id}&step=${id}`,
];

/**
 * Opens a URL and waits for the screen's heading (the loading skeleton has none), then for the page to settle: an
 * error thrown while streaming shows as the error screen only once the browser has rendered it.
 */
async function headingAt(page: Page, url: string): Promise<{ status: number; heading: string }> {
  const response = await page.goto(url, { waitUntil: "load" });
  const status = response?.status() ?? 0;
  const heading = page.locator("h1").first();
  // A response without any heading (a bare error from the server) is reported by its text.
  const shown = await heading.waitFor({ timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  if (!shown) return { status, heading: `(no heading) ${(await page.locator("body").innerText()).slice(0, 80)}` };
  await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
  const error = page.getByRole("heading", { level: 1 }).filter({ hasText: new RegExp(ERROR_HEADINGS.join("|")) });
  const text = (await error.count()) > 0 ? await error.first().innerText() : await heading.innerText();
  return { status, heading: text.trim() };
}

/**
 * Runs `check` for every hostile value, spread over TABS tabs of the signed-in context: each value still gets its own
 * navigation and the context's error watch sees every tab, but the waits for the network to settle overlap.
 */
const TABS = 3;
async function eachValueInTabs(
  opened: { context: BrowserContext; page: Page },
  check: (page: Page, name: string, value: string) => Promise<string | null>,
): Promise<string[]> {
  const pages = [opened.page];
  while (pages.length < TABS) pages.push(await opened.context.newPage());
  const queue = [...hostileValues];
  const failures: string[] = [];
  await Promise.all(
    pages.map(async (page) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const failure = await check(page, next[0], next[1]);
        if (failure) failures.push(failure);
      }
    }),
  );
  return failures.sort();
}

describe("hostile search parameters", () => {
  it.each(screens)("$path answers every hostile value with its screen", async ({ path, params, headings }) => {
    const opened = await browser.signedIn(DEMO.admin);
    const failures = await eachValueInTabs(opened, async (page, name, value) => {
      const url = `${path}?${params.map((param) => `${param}=${value}`).join("&")}`;
      const { status, heading } = await headingAt(page, url);
      if (status >= 500 || !(headings as readonly string[]).includes(heading)) {
        return `${name}: HTTP ${status}, heading “${heading.slice(0, 80)}”`;
      }
      return null;
    });
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("a repeated parameter uses its first value", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const { status, heading } = await headingAt(page, "/bookings?from=2026-01-01&from=%00&status=SENT&status=x");
    expect(status).toBeLessThan(500);
    expect(heading).toBe("Bookings");
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe("2026-01-01");
  });

  it("an ignored value is named on the screen", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    await headingAt(page, "/audit?from=2026-13-45&q=%00");
    const notice = page.getByTestId("ignored-params");
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/from.*q|q.*from/s);
  });
});

describe("hostile ids in the path", () => {
  it.each(idScreens.map((screen) => ({ ...screen, example: screen.path(":id") })))(
    "$example answers 404 or its not-found message",
    async ({ path, headings }) => {
      const opened = await browser.signedIn(DEMO.admin);
      expectBrowserError(opened.page, failedLoad(404), "a value that cannot be an id (or be decoded) answers 404");
      const failures = await eachValueInTabs(opened, async (page, name, value) => {
        const { status, heading } = await headingAt(page, path(value));
        const allowed = heading === NOT_FOUND || (headings as readonly string[]).includes(heading);
        return status >= 500 || !allowed ? `${name}: HTTP ${status}, heading “${heading.slice(0, 80)}”` : null;
      });
      expect(failures, failures.join("\n")).toEqual([]);
    },
  );

  it("downloads and polling answer a hostile id or filter without a server error", async () => {
    const { context } = await browser.signedIn(DEMO.admin);
    const failures: string[] = [];
    for (const url of idDownloads) {
      for (const [name, value] of hostileValues) {
        const response = await context.request.get(url(value), { maxRedirects: 0 });
        if (response.status() >= 500) failures.push(`${url(":id")} with ${name}: HTTP ${response.status()}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
