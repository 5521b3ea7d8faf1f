import { describe, expect, it } from "vitest";
import { sameOriginCallbackPath } from "./callback-url";

const ORIGIN = "https://console.example.com";

describe("sameOriginCallbackPath", () => {
  it.each([
    "/\\evil.example",
    "/\tevil.example/../\t/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\/evil.example",
    "/\\\\evil.example",
    "\\\\evil.example",
    "//evil.example",
    "///evil.example",
    "/.//evil.example",
    "/%2e//evil.example",
    "https://evil.example/",
    "https://console.example.com.evil.example/",
    "https://console.example.com@evil.example/",
    "http://console.example.com/travelers",
    "https://console.example.com:444/travelers",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\u0000//evil.example",
    "",
    `/${"a".repeat(2001)}`,
  ])("%j goes to the console's home", (callbackUrl) => {
    expect(sameOriginCallbackPath(callbackUrl, ORIGIN)).toBe("/");
  });

  it.each([
    ["/travelers", "/travelers"],
    ["/audit?result=ok#top", "/audit?result=ok#top"],
    ["/travelers/cust%2F1?tab=usage", "/travelers/cust%2F1?tab=usage"],
    ["https://console.example.com/webhooks?status=failed", "/webhooks?status=failed"],
    ["/a/../staff", "/staff"],
    ["/travelers/zoë", "/travelers/zo%C3%AB"],
    ["/ /evil.example", "/%20/evil.example"],
    ["evil.example", "/evil.example"],
  ])("%j stays on the console as %j", (callbackUrl, expected) => {
    expect(sameOriginCallbackPath(callbackUrl, ORIGIN)).toBe(expected);
  });

  it("refuses anything that is not a string", () => {
    for (const value of [undefined, null, 42, ["/travelers"], { href: "/travelers" }]) {
      expect(sameOriginCallbackPath(value, ORIGIN)).toBe("/");
    }
  });

  it("without a configured origin, keeps relative paths and refuses every absolute URL", () => {
    expect(sameOriginCallbackPath("/staff?q=a", undefined)).toBe("/staff?q=a");
    expect(sameOriginCallbackPath("https://console.example.com/staff", undefined)).toBe("/");
    expect(sameOriginCallbackPath("/\\evil.example", undefined)).toBe("/");
    expect(sameOriginCallbackPath("/staff", "not a url")).toBe("/staff");
  });
});
