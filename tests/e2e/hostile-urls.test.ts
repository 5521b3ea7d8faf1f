import { request, type APIRequestContext, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, E2E_URL, browserPerFile, expectBrowserError, failedLoad, signIn, uniqueIp } from "./support";

// Every screen and download, asked with values nobody types but crawlers, scanners and broken links send: each
// answers with its screen (ignoring what it cannot read, and saying so) or a 404, never a 500 or the error screen.
//
// Every value is asked of every screen over plain HTTP, with a signed-in admin's cookie, against the production
// server: the status, the screen's heading in the streamed HTML, no error screen, no server error streamed into a
// Suspense boundary, no stack trace. Chromium then opens one value per screen (a different one on each, so every
// value goes through a browser too) and reads the heading as rendered, hydrated, with no browser error. The page components themselves meet more
// values, decoded as Next.js hands them over, in tests/integration/hostile-params.test.ts.
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
  { path: "/retention", params: ["page"], headings: ["Retention"] },
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
 * The value Chromium opens on the screen at `index` of the screens then the id screens: one each, rotating through
 * the values, so that every value goes through a browser's URL handling at least once (17 screens, 13 values).
 */
function browserValue(index: number): [string, string] {
  return hostileValues[index % hostileValues.length]!;
}

/** The query string of `params`, each set to `value`. */
const queryOf = (params: readonly string[], value: string) => params.map((param) => `${param}=${value}`).join("&");

let api: APIRequestContext;

// One sign-in for the HTTP checks: the admin's session cookie, sent from the same client address.
beforeAll(async () => {
  const ip = uniqueIp();
  const { context, page } = await browser.open({ ip });
  await page.goto("/login");
  await signIn(page, DEMO.admin.email, DEMO.admin.password);
  api = await request.newContext({
    baseURL: E2E_URL,
    storageState: await context.storageState(),
    extraHTTPHeaders: { "x-forwarded-for": ip },
  });
  await context.close();
});
afterAll(async () => {
  await api?.dispose();
});

/**
 * The digests of errors the server streamed into Suspense boundaries: React marks such a boundary with a template
 * carrying the digest (`<template data-dgst=…>`) or switches it later with `$RX("B:0","<digest>",…)`, and the
 * browser then renders the nearest error boundary. Next.js's notFound() is one of them, digest NOT_FOUND_DIGEST.
 */
function streamedErrors(html: string): string[] {
  return [...html.matchAll(/data-dgst="([^"]*)"|\$RX\("[^"]*","([^"]*)"/g)].map((match) => match[1] ?? match[2]!);
}
const NOT_FOUND_DIGEST = "NEXT_HTTP_ERROR_FALLBACK;404";

/** A frame of a JavaScript stack trace, as a development error page or a careless catch would print it. */
const STACK_FRAME = /\bat [\w$.<>[\] ]+ \((?:file:\/\/|\/|node:|webpack)[^)]*:\d+:\d+\)/;

/** The text of every h1 of an HTML document, tags stripped and the few entities React writes decoded. */
function headingsOf(html: string): string[] {
  return [...html.matchAll(/<h1\b[^>]*>([\s\S]*?)<\/h1>/g)].map((match) =>
    match[1]!
      .replace(/<[^>]+>/g, "")
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .trim(),
  );
}

/**
 * Asks `url` over HTTP (following redirects, as a browser would) and says what is wrong with the answer, or null: a
 * 5xx, an error screen or a server error streamed into the page, a stack trace, or a heading other than `headings`.
 * A 404, or notFound() streamed into the page, is the browser's "Page not found" (its HTML has no heading: Next.js
 * renders the not-found screen from the payload), so it passes where `headings` include NOT_FOUND.
 */
async function httpFailure(url: string, headings: readonly string[]): Promise<string | null> {
  const response = await api.get(url);
  const status = response.status();
  const html = await response.text();
  const errors = streamedErrors(html);
  const notFound = status === 404 || errors.includes(NOT_FOUND_DIGEST);
  const shown = [...headingsOf(html), ...(notFound ? [NOT_FOUND] : [])];
  // A client-only part (next/dynamic with ssr: false, e.g. a chart) leaves a boundary marked for client rendering:
  // its digest is empty in a production build (BAILOUT_TO_CLIENT_SIDE_RENDERING in development). A server error
  // always carries Next.js's hash as its digest.
  const serverErrors = errors.filter(
    (digest) => digest !== NOT_FOUND_DIGEST && digest !== "" && digest !== "BAILOUT_TO_CLIENT_SIDE_RENDERING",
  );
  const problems = [
    status >= 500 && `HTTP ${status}`,
    shown.some((heading) => ERROR_HEADINGS.includes(heading)) && "the error screen",
    serverErrors.length > 0 && `a server error streamed into the page (digest ${serverErrors.join(", ")})`,
    STACK_FRAME.test(html) && `a stack trace (${STACK_FRAME.exec(html)![0].slice(0, 80)})`,
    !shown.some((heading) => headings.includes(heading)) && `headings ${JSON.stringify(shown).slice(0, 120)}`,
  ].filter(Boolean);
  return problems.length ? `HTTP ${status}: ${problems.join(", ")}` : null;
}

/** Runs `check` for every hostile value, four requests at a time; answers the failures, named by value. */
async function eachValueOverHttp(check: (value: string) => Promise<string | null>): Promise<string[]> {
  const queue = [...hostileValues];
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const failure = await check(next[1]);
        if (failure) failures.push(`${next[0]}: ${failure}`);
      }
    }),
  );
  return failures.sort();
}

/**
 * Opens a URL and waits for the screen's heading (the loading skeleton has none), then for the page to settle: an
 * error thrown while streaming shows as the error screen only once the browser has rendered it.
 */
async function headingAt(page: Page, url: string): Promise<{ status: number; heading: string }> {
  const response = await page.goto(url, { waitUntil: "load" });
  const status = response?.status() ?? 0;
  const heading = page.locator("h1").first();
  // A response without any heading (a bare error from the server) is reported by its text.
  const shown = await heading.waitFor().then(
    () => true,
    () => false,
  );
  if (!shown) return { status, heading: `(no heading) ${(await page.locator("body").innerText()).slice(0, 80)}` };
  // Until React has hydrated the heading, a boundary the server streamed an error into may still turn into the
  // error screen (the HTTP checks above read those errors from the HTML itself).
  await page.waitForFunction(() => {
    const h1 = document.querySelector("h1");
    return !!h1 && Object.keys(h1).some((key) => key.startsWith("__reactFiber$"));
  });
  const error = page.getByRole("heading", { level: 1 }).filter({ hasText: new RegExp(ERROR_HEADINGS.join("|")) });
  const text = (await error.count()) > 0 ? await error.first().innerText() : await heading.innerText();
  return { status, heading: text.trim() };
}

/**
 * Opens each URL in one of TABS tabs of the signed-in context: each gets its own navigation and the context's error
 * watch sees every tab, but the waits for the network to settle overlap.
 */
const TABS = 3;
async function inTabs(
  opened: { context: BrowserContext; page: Page },
  visits: { name: string; url: string; headings: readonly string[] }[],
): Promise<string[]> {
  const pages = [opened.page];
  while (pages.length < TABS) pages.push(await opened.context.newPage());
  const queue = [...visits];
  const failures: string[] = [];
  await Promise.all(
    pages.map(async (page) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { status, heading } = await headingAt(page, next.url);
        if (status >= 500 || !next.headings.includes(heading)) {
          failures.push(`${next.name}: HTTP ${status}, heading “${heading.slice(0, 80)}”`);
        }
      }
    }),
  );
  return failures.sort();
}

describe("hostile search parameters", () => {
  it.each(screens)("$path answers every hostile value with its screen (HTTP)", async ({ path, params, headings }) => {
    const failures = await eachValueOverHttp((value) => httpFailure(`${path}?${queryOf(params, value)}`, headings));
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("every screen shows its heading in Chromium for one hostile value each", async () => {
    const opened = await browser.signedIn(DEMO.admin);
    const visits = screens.map(({ path, params, headings }, index) => {
      const [name, value] = browserValue(index);
      return { name: `${path} with ${name}`, url: `${path}?${queryOf(params, value)}`, headings };
    });
    const failures = await inTabs(opened, visits);
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
    "$example answers 404 or its not-found message (HTTP)",
    async ({ path, headings }) => {
      const allowed = [NOT_FOUND, ...headings];
      const failures = await eachValueOverHttp((value) => httpFailure(path(value), allowed));
      expect(failures, failures.join("\n")).toEqual([]);
    },
  );

  it("every id screen answers 404 or its not-found message in Chromium for one hostile value each", async () => {
    const opened = await browser.signedIn(DEMO.admin);
    expectBrowserError(opened.page, failedLoad(404), "a value that cannot be an id (or be decoded) answers 404");
    const visits = idScreens.map(({ path, headings }, index) => {
      const [name, value] = browserValue(screens.length + index);
      return { name: `${path(":id")} with ${name}`, url: path(value), headings: [NOT_FOUND, ...headings] };
    });
    const failures = await inTabs(opened, visits);
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("downloads and polling answer a hostile id or filter without a server error", async () => {
    const failures: string[] = [];
    for (const url of idDownloads) {
      for (const [name, value] of hostileValues) {
        const response = await api.get(url(value), { maxRedirects: 0 });
        if (response.status() >= 500) failures.push(`${url(":id")} with ${name}: HTTP ${response.status()}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
