import { parse, type DefaultTreeAdapterMap } from "parse5";
import { describe, expect, it } from "vitest";
import { HOSTILE_PAYLOADS, withHostilePayloads } from "../hubby-sandbox/hostile";
import { renderInstructionsHtml } from "../hubby-sandbox/instruction-renderer";
import { previewContentSecurityPolicy, previewDocument } from "./frame";
import { hasVisibleContent, isAllowedResourceUrl, sanitizeInstructionsHtml, sanitizeStyleSheet } from "./sanitize";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const SANDBOX_ORIGIN = "http://127.0.0.1:4010";

// Elements a browser may create from the sanitized output (parse5 parses exactly as the HTML standard says, so
// parser-differential "mutation" payloads show up here as they would in Chromium).
const ALLOWED_ELEMENTS = new Set(
  (
    "html head body h1 h2 h3 h4 h5 h6 p div span section article header footer main aside nav ol ul li dl dt dd " +
    "strong em b i u s small sub sup mark code kbd samp pre blockquote br hr figure figcaption table caption thead " +
    "tbody tfoot tr th td a img picture style svg g path rect circle ellipse line polyline polygon"
  ).split(" "),
);

function elements(node: Node): Element[] {
  const own = "tagName" in node ? [node as Element] : [];
  const children = "childNodes" in node ? node.childNodes : [];
  const content = "content" in node && node.content ? [node.content as Node] : [];
  return [...own, ...[...children, ...content].flatMap(elements)];
}

function textOf(element: Element): string {
  return element.childNodes.map((child) => ("value" in child ? child.value : "")).join("");
}

/** Every way the sanitized markup could still run, load or navigate, as a browser would parse it. */
function dangers(sanitized: string): string[] {
  const found: string[] = [];
  for (const element of elements(parse(previewDocument(sanitized, { imageOrigins: [SANDBOX_ORIGIN] })))) {
    const tag = element.tagName.toLowerCase();
    if (tag === "meta" && element.attrs.some((a) => a.name === "http-equiv" && /refresh/i.test(a.value))) {
      found.push("meta refresh");
    }
    if (!ALLOWED_ELEMENTS.has(tag) && tag !== "meta") found.push(`<${tag}>`);
    for (const attr of element.attrs) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${tag}[${name}]`);
      if (["href", "xlink:href", "action", "formaction", "srcdoc", "data", "srcset", "background"].includes(name)) {
        found.push(`${tag}[${name}]`);
      }
      if (/(?:java|vb)script\s*:/i.test(attr.value) && name !== "title") found.push(`${tag}[${name}] script URL`);
      if (name === "src" && !isAllowedResourceUrl(attr.value, { imageOrigins: [SANDBOX_ORIGIN] })) {
        found.push(`${tag}[src=${attr.value}]`);
      }
      if (name === "style" && /url|expression|\\/i.test(attr.value)) found.push(`${tag}[style=${attr.value}]`);
    }
    if (tag === "style") {
      const css = textOf(element);
      if (/@import|expression\s*\(|-moz-binding|behavior\s*:|javascript:|\\/i.test(css)) found.push(`css: ${css}`);
      for (const match of css.matchAll(/url\(\s*"?([^")]*)"?\s*\)/gi)) {
        if (!isAllowedResourceUrl(match[1]!, { imageOrigins: [SANDBOX_ORIGIN], font: true })) {
          found.push(`css url ${match[1]}`);
        }
      }
    }
  }
  return found;
}

const sanitize = (html: string) => sanitizeInstructionsHtml(html, { imageOrigins: [SANDBOX_ORIGIN] });

describe("sanitizeInstructionsHtml against XSS payloads", () => {
  it.each(HOSTILE_PAYLOADS.map((payload) => [payload.name, payload.html]))("neutralises %s", (_name, html) => {
    const sanitized = sanitize(html);
    expect(dangers(sanitized)).toEqual([]);
    // Sanitizing is stable: what is stored and shown again stays the same.
    expect(sanitize(sanitized)).toBe(sanitized);
  });

  it.each([
    ["entity-encoded javascript: link", `<a href="&#x6A;avascript&#x3A;alert(1)">x</a>`],
    ["tab inside javascript: link", `<a href="java\tscript:alert(1)">x</a>`],
    ["vbscript link", `<a href="vbscript:msgbox(1)">x</a>`],
    ["protocol-relative image", `<img src="//evil.example/x.png">`],
    ["http image from elsewhere", `<img src="http://evil.example/x.png">`],
    ["relative image", `<img src="/api/secret.png">`],
    ["srcset", `<img src="https://ok.example/a.png" srcset="http://evil.example/b.png 2x">`],
    ["svg use", `<svg><use href="data:image/svg+xml,<svg id='x' onload='alert(1)'/>#x"/></svg>`],
    ["svg set", `<svg><set attributeName="onload" to="alert(1)"/></svg>`],
    ["svg image", `<svg><image href="javascript:alert(1)"/></svg>`],
    ["css escapes", `<style>.a{background:u\\72l(javascript:alert(1))} .b{width:expr\\65ssion(alert(1))}</style>`],
    ["css comments", `<style>.a{background:url/**/(javascript:alert(1))}</style>`],
    ["css image-set", `<style>.a{background-image:image-set("http://evil.example/a.png" 1x)}</style>`],
    ["style closed early", `<style>.a{}</style><script>alert(1)</script><style>.b{}</style>`],
    ["inline style url", `<p style="background-image:url('http://evil.example/a.png');color:red">x</p>`],
    ["template", `<template><img src=x onerror=alert(1)></template>`],
    ["textarea breakout", `<textarea></textarea><img src=x onerror=alert(1)></textarea>`],
    ["select breakout", `<select><option><img src=x onerror=alert(1)></option></select>`],
    ["comment breakout", `<!--><img src=x onerror=alert(1)>-->`],
    ["cdata", `<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>`],
    ["meta refresh uppercase", `<META HTTP-EQUIV="Refresh" CONTENT="0; URL=https://evil.example">`],
    ["base target", `<base target="_top" href="https://evil.example/">`],
    ["button form action", `<button formaction="https://evil.example">Go</button>`],
    ["marquee onstart", `<marquee onstart="alert(1)">x</marquee>`],
    ["frameset", `<frameset onload="alert(1)"><frame src="https://evil.example"></frameset>`],
  ])("neutralises %s", (_name, html) => {
    expect(dangers(sanitize(html))).toEqual([]);
  });

  it("the checker is not vacuous: it finds the danger in every raw payload", () => {
    const missed = HOSTILE_PAYLOADS.filter((payload) => dangers(payload.html).length === 0).map((p) => p.name);
    expect(missed).toEqual([]);
  });

  it("neutralises the whole hostile page the sandbox's hostile_html fault returns", async () => {
    const page = withHostilePayloads(await renderInstructionsHtml(sandboxInput));
    const sanitized = sanitize(page);
    expect(dangers(sanitized)).toEqual([]);
    expect(sanitized).toContain("Install your travel eSIM");
    // Payload text can survive as inert CSS inside <style> (the <math> mutation payload opens one); markup cannot.
    expect(sanitized.replace(/<style>[\s\S]*?<\/style>/g, "")).not.toMatch(/<script|onerror|onload|javascript:/i);
  });
});

const sandboxInput = {
  device_name: "Apple iPhone 12",
  phone_os: "ios",
  os_version: "16",
  locale: "en-GB",
  branding: {
    name: "Luxury Travel",
    primary_color: "#1F2937",
    secondary_color: "#C9A227",
    font: "Georgia",
    logo: `${SANDBOX_ORIGIN}/assets/logo-brand_luxury_travel.svg`,
  },
  esim: { iccid: "8901234567890123456", qr: "LPA:1$smdp.example.com$ACTIVATION-CODE" },
};

describe("sanitizeInstructionsHtml keeps the instructions", () => {
  it("keeps the branded styles, the logo, the steps and the QR drawing; links lose their target", async () => {
    const sanitized = sanitize(await renderInstructionsHtml(sandboxInput));
    expect(sanitized).toMatch(/^<style>/);
    expect(sanitized).toContain("--brand-primary: #1f2937");
    expect(sanitized).toContain(
      `<img alt="Luxury Travel" src="${SANDBOX_ORIGIN}/assets/logo-brand_luxury_travel.svg" />`,
    );
    expect(sanitized).toContain("Scan the QR code");
    expect(sanitized).toMatch(/<svg[^>]*viewbox="0 0 \d+ \d+"/i);
    expect(sanitized).toContain("<path");
    expect(sanitized).not.toContain("<title>");
    expect(dangers(sanitized)).toEqual([]);

    const oneTap = sanitize(await renderInstructionsHtml({ ...sandboxInput, os_version: "17.4" }));
    expect(oneTap).toContain('<a class="button" title="https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=');
    expect(oneTap).not.toContain("href=");
  });

  it("drops images from other http origins but keeps https and data images", () => {
    const html = `<img src="https://cdn.example/logo.png" alt="a"><img src="data:image/png;base64,AAAA" alt="b"><img src="http://other.example/x.png" alt="c">`;
    const sanitized = sanitizeInstructionsHtml(html);
    expect(sanitized).toContain('src="https://cdn.example/logo.png"');
    expect(sanitized).toContain('src="data:image/png;base64,AAAA"');
    expect(sanitized).toContain('<img alt="c" />');
  });

  it("keeps safe inline styles and drops the declarations that reference something", () => {
    expect(sanitize(`<p style="color:#fff;background:url(https://x.example/a.png);font-weight:700">x</p>`)).toBe(
      `<p style="color:#fff;font-weight:700">x</p>`,
    );
  });

  it("keeps https and data: url()s in style sheets", () => {
    expect(sanitizeStyleSheet(`.a{background:url('https://cdn.example/a.png')}`)).toBe(
      `.a{background:url("https://cdn.example/a.png")}`,
    );
    expect(sanitizeStyleSheet(`.a{background:url(http://evil.example/a.png)}`)).toBe(`.a{background:none}`);
  });

  it("tells an empty result from content", () => {
    expect(hasVisibleContent(sanitize(`<script>alert(1)</script><style>p{}</style>`))).toBe(false);
    expect(hasVisibleContent(sanitize(`<p>Step 1</p>`))).toBe(true);
    expect(hasVisibleContent(sanitize(`<img src="https://cdn.example/a.png" alt="">`))).toBe(true);
  });
});

describe("previewDocument", () => {
  it("puts the CSP first in the head: nothing but images, fonts and inline styles", () => {
    const doc = previewDocument("<p>hi</p>", { lang: "de-DE", imageOrigins: [SANDBOX_ORIGIN] });
    expect(previewContentSecurityPolicy([SANDBOX_ORIGIN])).toBe(
      `default-src 'none'; img-src data: https: ${SANDBOX_ORIGIN}; style-src 'unsafe-inline'; font-src data: https:; base-uri 'none'; form-action 'none'`,
    );
    expect(doc).toContain(`<html lang="de-DE">`);
    expect(doc.indexOf("Content-Security-Policy")).toBeLessThan(doc.indexOf("<body>"));
    expect(previewDocument("x", { lang: `"><script>` })).toContain(`<html lang="en">`);
  });
});
