import type http from "node:http";
import type net from "node:net";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { STRICT_TRANSPORT_SECURITY } from "@/lib/security-headers";
import { createConsoleServer } from "@/lib/server/http-server";
import { handleWebhookRequest, isWebhookRequest, WEBHOOK_PATH } from "@/lib/webhooks/node-handler";
import { proxy } from "@/proxy";

// The security headers on the responses the issue names: /login, a console page, an API route (the proxy) and the
// webhook route (the console's server, ahead of Next.js); static files get them from next.config.js
// (lib/security-headers.test.ts). tests/e2e/security-headers.test.ts checks them on the running app.

const SESSION_COOKIE = "next-auth.session-token=anything";

function viaProxy(path: string, headers: Record<string, string> = {}) {
  return proxy(new NextRequest(new URL(path, "http://127.0.0.1:3000"), { headers }));
}

function directives(policy: string | null): Map<string, string> {
  return new Map((policy ?? "").split(";").map((part) => [part.trim().split(" ")[0]!, part.trim()]));
}

function expectBaseHeaders(headers: Headers) {
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(headers.get("permissions-policy")).toContain("camera=()");
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(directives(headers.get("content-security-policy")).get("frame-ancestors")).toBe("frame-ancestors 'none'");
  expect(headers.has("x-powered-by")).toBe(false);
}

/** The nonce of a page policy's script-src. */
function nonceOf(policy: string | null): string {
  const nonce = directives(policy)
    .get("script-src")
    ?.match(/'nonce-([^']+)'/)?.[1];
  expect(nonce, `script-src of ${policy}`).toBeTruthy();
  return nonce!;
}

afterEach(() => {
  delete process.env.NEXTAUTH_URL;
  resetEnvCache();
});

describe("security headers from the proxy", () => {
  it("/login: the base headers and a page policy with a fresh nonce, handed to Next.js with the request", () => {
    const first = viaProxy("/login");
    const second = viaProxy("/login");
    expectBaseHeaders(first.headers);
    const policy = first.headers.get("content-security-policy");
    expect(directives(policy).get("default-src")).toBe("default-src 'self'");
    expect(nonceOf(policy)).not.toBe(nonceOf(second.headers.get("content-security-policy")));
    // Next.js reads the nonce from the request's policy (x-middleware-request-*), and puts it on its scripts.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    // Plain http: no HSTS, nothing upgraded.
    expect(first.headers.has("strict-transport-security")).toBe(false);
    expect(policy).not.toContain("upgrade-insecure-requests");
  });

  it("a console page: signed in it carries them, and so does the redirect of a signed-out browser", () => {
    const page = viaProxy("/travelers", { cookie: SESSION_COOKIE });
    expect(page.headers.get("x-middleware-next")).toBe("1");
    expectBaseHeaders(page.headers);
    nonceOf(page.headers.get("content-security-policy"));

    const redirect = viaProxy("/travelers");
    expect(redirect.status).toBe(307);
    expectBaseHeaders(redirect.headers);
  });

  it("an API route gets the policy of a non-page: it may load nothing", () => {
    const response = viaProxy("/api/health");
    expectBaseHeaders(response.headers);
    expect(directives(response.headers.get("content-security-policy")).get("default-src")).toBe("default-src 'none'");
  });

  it("over https (an https NEXTAUTH_URL): HSTS, and plain-http subresources upgraded", () => {
    process.env.NEXTAUTH_URL = "https://console.partner.example";
    resetEnvCache();
    const response = viaProxy("/login");
    expect(response.headers.get("strict-transport-security")).toBe(STRICT_TRANSPORT_SECURITY);
    expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });
});

describe("security headers from the console's server", () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  async function start(trustProxy: boolean) {
    server = createConsoleServer(
      { trustProxy, originExemptPaths: [WEBHOOK_PATH], ownBodyLimitPaths: [WEBHOOK_PATH] },
      (request, response) => {
        if (isWebhookRequest(request)) void handleWebhookRequest(request, response);
        else response.end("next");
      },
    );
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  }

  it("the webhook route (answered before Next.js) carries them, on a refusal too", async () => {
    const url = await start(false);
    const response = await fetch(`${url}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      body: "{}",
    });
    expect(response.status).toBe(401);
    expectBaseHeaders(response.headers);
    expect(directives(response.headers.get("content-security-policy")).get("default-src")).toBe("default-src 'none'");
    // A client's own X-Forwarded-Proto is not believed without TRUST_PROXY.
    expect(response.headers.has("strict-transport-security")).toBe(false);

    const crossOrigin = await fetch(`${url}/staff`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(crossOrigin.status).toBe(403);
    expectBaseHeaders(crossOrigin.headers);
  });

  it("behind a trusted proxy that says https, every response carries HSTS", async () => {
    const url = await start(true);
    const response = await fetch(`${url}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "x-forwarded-proto": "https" },
      body: "{}",
    });
    expect(response.headers.get("strict-transport-security")).toBe(STRICT_TRANSPORT_SECURITY);
  });
});
