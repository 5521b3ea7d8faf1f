import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  BASE_SECURITY_HEADERS,
  createNonce,
  pageContentSecurityPolicy,
  responseSecurityHeaders,
  servedOverHttps,
  STRICT_TRANSPORT_SECURITY,
} from "./security-headers";

type HeaderRule = { source: string; has?: unknown[]; headers: { key: string; value: string }[] };
const nextConfig = createRequire(import.meta.url)("../next.config.js") as {
  poweredByHeader: boolean;
  headers(): Promise<HeaderRule[]>;
};

describe("security headers", () => {
  it("next.config.js sends the same base headers as the proxy and the console's server, and no X-Powered-By", async () => {
    const rules = await nextConfig.headers();
    const everywhere = rules.find((rule) => rule.source === "/:path*" && !rule.has)!;
    expect(Object.fromEntries(everywhere.headers.map((header) => [header.key, header.value]))).toEqual(
      BASE_SECURITY_HEADERS,
    );
    const https = rules.find((rule) => rule.has)!;
    expect(https.has).toEqual([{ type: "header", key: "x-forwarded-proto", value: "https" }]);
    expect(https.headers).toEqual([{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }]);
    expect(nextConfig.poweredByHeader).toBe(false);
  });

  it("a page policy lets only scripts with the nonce run and forbids framing", () => {
    const policy = pageContentSecurityPolicy({ nonce: "abc123==" });
    const directives = new Map(policy.split("; ").map((part) => [part.split(" ")[0], part]));
    expect(directives.get("script-src")).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(directives.get("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directives.get("object-src")).toBe("object-src 'none'");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toContain("upgrade-insecure-requests");
    expect(pageContentSecurityPolicy({ nonce: "n", development: true })).toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy({ nonce: "n", https: true })).toContain("upgrade-insecure-requests");
    expect(pageContentSecurityPolicy({ nonce: "n", imageOrigins: ["http://127.0.0.1:4010"] })).toContain(
      "img-src 'self' data: blob: https: http://127.0.0.1:4010",
    );
  });

  it("a nonce is new each time and in the form Next.js reads back from the policy", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("sends HSTS only over https: an https public URL, or https said by a (trusted) proxy", () => {
    expect(servedOverHttps("https://console.example", null)).toBe(true);
    expect(servedOverHttps("http://127.0.0.1:3000", "https")).toBe(true);
    expect(servedOverHttps("http://127.0.0.1:3000", "http")).toBe(false);
    expect(servedOverHttps(undefined, undefined)).toBe(false);
    expect(responseSecurityHeaders(true)["Strict-Transport-Security"]).toBe(STRICT_TRANSPORT_SECURITY);
    expect(responseSecurityHeaders(false)).not.toHaveProperty("Strict-Transport-Security");
  });
});
