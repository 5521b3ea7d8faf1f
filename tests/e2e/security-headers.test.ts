import { describe, expect, it } from "vitest";
import {
  checkBrowserErrors,
  CSP_VIOLATION,
  DEMO,
  expectBrowserError,
  E2E_URL,
  browserPerFile,
  launchBrowser,
  newPage,
} from "./support";

// The security headers on the running app (the production build behind the console's own server), and proof that
// the shared e2e support fails a test on a Content-Security-Policy violation, so that every page the suite visits
// is shown to satisfy the policy.

const browser = browserPerFile();

function expectSecurityHeaders(headers: Record<string, string>, what: string) {
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], what).toContain("camera=()");
  expect(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
  expect(headers, what).not.toHaveProperty("x-powered-by");
}

async function headersOf(pathname: string, init: RequestInit = {}) {
  const response = await fetch(`${E2E_URL}${pathname}`, { redirect: "manual", ...init });
  await response.arrayBuffer();
  return Object.fromEntries(response.headers.entries());
}

describe("security headers on the running console", () => {
  it("/login, a console page, the webhook route, an API route and static files carry them", async () => {
    const login = await headersOf("/login");
    expectSecurityHeaders(login, "/login");
    expect(login["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    // Served over plain http here.
    expect(login).not.toHaveProperty("strict-transport-security");

    const { page } = await browser.signedIn(DEMO.support);
    const travelers = await page.goto("/travelers");
    const pageHeaders = travelers!.headers();
    expectSecurityHeaders(pageHeaders, "/travelers");
    // Next.js put this response's nonce on every script of the document; the chunks those load run through
    // 'strict-dynamic'.
    const nonce = pageHeaders["content-security-policy"]!.match(/'nonce-([^']+)'/)![1];
    const html = await travelers!.text();
    const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scriptTags.length).toBeGreaterThan(0);
    for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
    const chunk = scriptTags.map((tag) => tag.match(/src="(\/_next\/static\/[^"]+)"/)?.[1]).find(Boolean)!;

    const webhook = await headersOf("/api/webhooks/hubby", { method: "POST", body: "{}" });
    expectSecurityHeaders(webhook, "POST /api/webhooks/hubby");
    expect(webhook["content-security-policy"]).toContain("default-src 'none'");
    expectSecurityHeaders(await headersOf("/api/health"), "/api/health");
    expectSecurityHeaders(await headersOf("/favicon.ico"), "/favicon.ico");
    expectSecurityHeaders(await headersOf(chunk), chunk);
  });

  it("the e2e support fails a test whose page violates the policy, even if an error was declared", async () => {
    const own = await launchBrowser();
    try {
      const { context, page } = await newPage(own);
      await page.goto("/login");
      const reported = page.waitForEvent("console", { predicate: (message) => CSP_VIOLATION.test(message.text()) });
      // An inline event handler, as injected markup would carry one: no nonce can cover it.
      await page.evaluate(() => {
        const button = document.createElement("button");
        button.setAttribute("onclick", "document.title = 'injected'");
        document.body.append(button);
        button.click();
      });
      expect(await page.title(), "the inline handler did not run").not.toBe("injected");
      // No declaration can excuse it.
      expect(() => expectBrowserError(page, /Refused to/, "a too broad declaration")).toThrow(/Content-Security/);
      await reported;
      await context.close();
      expect(() => checkBrowserErrors(context)).toThrow(/Content Security Policy/);
    } finally {
      await own.close();
    }
  });
});
