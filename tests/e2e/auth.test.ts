import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEMO,
  checkBrowserErrors,
  E2E_URL,
  GENERIC_SIGN_IN_ERROR,
  failedSignIn,
  launchBrowser,
  newPage,
  pathOf,
  signIn,
  submitSignIn,
  textOf,
  uniqueEmail,
} from "./support";

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  ({ context, page } = await newPage(browser));
});
afterEach(async () => {
  await context?.close();
  if (context) checkBrowserErrors(context);
});

const roles = [
  { account: DEMO.admin, home: "/", adminScreens: true },
  { account: DEMO.campaigns, home: "/", adminScreens: false },
  { account: DEMO.support, home: "/", adminScreens: false },
] as const;

describe("sign-in", () => {
  it.each(roles)(
    "$account.role lands in the console shell with the screens of the role",
    async ({ account, home, adminScreens }) => {
      await page.goto("/login");
      await signIn(page, account.email, account.password);
      expect(pathOf(page)).toBe(home);

      const header = page.getByRole("banner");
      expect(await textOf(header.getByTestId("current-user"))).toBe(account.name);
      expect(await textOf(header.getByTestId("current-role"))).toBe(account.role);

      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "My account" }).waitFor();
      expect(await nav.getByRole("link", { name: "Staff", exact: true }).count()).toBe(adminScreens ? 1 : 0);
      expect(await nav.getByRole("link", { name: "Audit log", exact: true }).count()).toBe(adminScreens ? 1 : 0);
    },
  );

  it.each(roles)("/ is $account.role's overview", async ({ account, home }) => {
    await page.goto("/login");
    await signIn(page, account.email, account.password);
    await page.goto("/account");
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    expect(pathOf(page)).toBe(home);
  });

  it("a signed-out visit to a console page goes to /login and back after signing in", async () => {
    await page.goto("/account");
    expect(pathOf(page)).toBe("/login");
    await signIn(page, DEMO.support.email, DEMO.support.password);
    expect(pathOf(page)).toBe("/account");
  });

  it("a wrong password shows the generic message and stays on /login", async () => {
    await page.goto("/login");
    expect(await failedSignIn(page, DEMO.campaigns.email, "not-the-password")).toBe(GENERIC_SIGN_IN_ERROR);
    expect(pathOf(page)).toBe("/login");
    // The right password still works (and clears the failure for this account).
    await signIn(page, DEMO.campaigns.email, DEMO.campaigns.password);
    expect(pathOf(page)).toBe("/");
  });

  it("an unknown email shows the same generic message", async () => {
    await page.goto("/login");
    expect(await failedSignIn(page, uniqueEmail("nobody"), "whatever-password")).toBe(GENERIC_SIGN_IN_ERROR);
    expect(pathOf(page)).toBe("/login");
  });
});

describe("sign-in with a callbackUrl", () => {
  // Each of these once sent the browser to another origin after signing in (issue 15, item 3).
  const elsewhere = [
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\\/evil.example",
    "/\\\\evil.example",
    "//evil.example",
    "https://evil.example/",
    "/\r\n/evil.example",
  ];

  it.each(elsewhere)("callbackUrl %j lands on the console's home", async (callbackUrl) => {
    // Any request that leaves the console is answered here, so a redirect elsewhere shows as such (not a DNS error).
    await context.route(
      (url) => url.origin !== E2E_URL,
      (route) => route.fulfill({ contentType: "text/html", body: "<h1>Left the console</h1>" }),
    );
    await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await submitSignIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.waitForURL((url) => url.origin !== E2E_URL || url.pathname !== "/login");
    expect(new URL(page.url()).origin).toBe(E2E_URL);
    expect(pathOf(page)).toBe("/");
  });

  it("a same-origin callbackUrl with a query is kept", async () => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent("/audit?result=ok#top")}`);
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    const url = new URL(page.url());
    expect(url.origin + url.pathname + url.search).toBe(`${E2E_URL}/audit?result=ok`);
  });
});

describe("sign-out", () => {
  it("returns to /login, and /staff then redirects to /login", async () => {
    await page.goto("/login");
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    expect(pathOf(page)).toBe("/");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByRole("button", { name: "Sign in" }).waitFor();

    const response = await page.goto("/staff");
    expect(response?.ok()).toBe(true);
    expect(pathOf(page)).toBe("/login");
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
  });
});
