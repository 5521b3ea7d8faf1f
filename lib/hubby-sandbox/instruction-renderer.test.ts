import { describe, expect, it } from "vitest";
import {
  instructionsInputSchema,
  languageFor,
  renderInstructionsHtml,
  renderInstructionsJson,
  renderInstructionsMarkdown,
  type InstructionsRenderInput,
} from "./instruction-renderer";

const esim = { iccid: "8901234567890123456", qr: "LPA:1$smdp.example.com$ACTIVATION-CODE" };
const branding = {
  name: "Demo Travel",
  primary_color: "#FF5733",
  secondary_color: "#33FF57",
  logo: "https://example.com/logo.png",
  font: "Roboto",
};
const iphone: InstructionsRenderInput = {
  device_name: "iPhone 15 Pro",
  device_type: "phone",
  phone_os: "iOS",
  os_version: "17.4",
  locale: "en-US",
  branding,
  esim,
};
const android = (device_name: string, os_version: string): InstructionsRenderInput => ({
  ...iphone,
  device_name,
  phone_os: "android",
  os_version,
});
const allText = (input: InstructionsRenderInput) => JSON.stringify(renderInstructionsJson(input));

describe("instructions by OS and version", () => {
  it("gives iOS 17.4 a one-tap universal link and iOS 16 a QR code with the manual details", async () => {
    const modern = await renderInstructionsHtml(iphone);
    expect(modern).toContain(
      'href="https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA%3A1%24smdp.example.com%24ACTIVATION-CODE"',
    );
    expect(modern).not.toContain("<svg");

    const older = await renderInstructionsHtml({ ...iphone, device_name: "iPhone 12", os_version: "16.6" });
    expect(older).not.toContain("esimsetup.apple.com");
    expect(older).toMatch(/<figure class="qr"[^>]*><svg[^>]*viewBox/);
    expect(older).toContain("<code>smdp.example.com</code>");
    expect(older).toContain("<code>ACTIVATION-CODE</code>");
    expect(older).toContain("Settings › Cellular › Add eSIM › Use QR Code");
  });

  it("uses the pre-iOS 16 menu name on old iPhones", () => {
    expect(allText({ ...iphone, device_name: "iPhone XS", os_version: "15.7" })).toContain(
      "Settings › Cellular › Add Cellular Plan",
    );
  });

  it("follows each Android maker's menus, with a deep link from Android 10 on Google and Samsung", () => {
    const samsung = renderInstructionsJson(android("Samsung Galaxy S10", "9"));
    const pixel = renderInstructionsJson(android("Google Pixel 4", "9"));
    expect(JSON.stringify(samsung)).toContain("Settings › Connections › SIM manager › Add eSIM");
    expect(JSON.stringify(samsung)).not.toContain("Network & internet");
    expect(JSON.stringify(pixel)).toContain("Settings › Network & internet › SIMs › Download a SIM");
    expect(JSON.stringify(pixel)).not.toContain("SIM manager");
    expect(samsung.links).toEqual([]);
    expect(samsung.steps.some((step) => step.qr === esim.qr)).toBe(true);

    const pixel10 = renderInstructionsJson(android("Google Pixel 10", "15"));
    expect(pixel10.links).toEqual([
      {
        href: "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=LPA%3A1%24smdp.example.com%24ACTIVATION-CODE",
        label: "Install eSIM",
      },
    ]);
    expect(renderInstructionsJson(android("Samsung Galaxy S24", "14")).links).toHaveLength(1);
    expect(renderInstructionsJson(android("Xiaomi 14", "14")).links).toEqual([]);
  });

  it("always covers roaming on arrival and keeping the eSIM", () => {
    for (const input of [iphone, android("Galaxy S24", "14"), android("Pixel 4", "9")]) {
      const titles = renderInstructionsJson(input).steps.map((step) => step.title);
      expect(titles).toContain("When you arrive, turn on data roaming");
      expect(titles).toContain("Don't delete the eSIM");
    }
  });

  it("says so when the traveler has no eSIM yet", async () => {
    const json = renderInstructionsJson({ ...iphone, esim: null });
    expect(json).toMatchObject({
      steps: [],
      links: [],
      iccid: null,
      intro: expect.stringContaining("don't have an eSIM"),
    });
    const html = await renderInstructionsHtml({ ...iphone, esim: null });
    expect(html).toContain("You don&#39;t have an eSIM yet.");
    expect(html).not.toContain("<ol>");
  });

  it("skips installation for an eSIM that is already installed", () => {
    const json = renderInstructionsJson({ ...iphone, esim: { ...esim, status: "INSTALLED" } });
    expect(json.links).toEqual([]);
    expect(json.steps.map((step) => step.title)).toEqual([
      "Use the travel eSIM for mobile data",
      "When you arrive, turn on data roaming",
      "Don't delete the eSIM",
    ]);
  });
});

describe("instructions in the traveler's language", () => {
  it("speaks Spanish for es and es-ES", async () => {
    const html = await renderInstructionsHtml({ ...iphone, locale: "es", os_version: "16.0" });
    expect(html).toContain('<html lang="es">');
    expect(html).toContain("Instala tu eSIM de viaje");
    expect(html).toContain("Ajustes › Datos móviles › Añadir eSIM");
    expect(html).toContain("activa la itinerancia de datos");
    expect(renderInstructionsJson({ ...iphone, locale: "es-ES" }).title).toBe("Instala tu eSIM de viaje");
  });

  it("falls back to English for languages it lacks, such as mk-MK", async () => {
    expect(languageFor("mk-MK")).toBe("en");
    expect(renderInstructionsJson({ ...iphone, locale: "mk-MK" })).toMatchObject({
      locale: "en",
      title: "Install your travel eSIM",
    });
    expect(await renderInstructionsHtml({ ...iphone, locale: "mk-MK" })).toContain('<html lang="en">');
    expect(languageFor(undefined)).toBe("en");
  });

  it("matches on the language part and uses British iPhone menus outside North America", () => {
    expect(["de-AT", "fr_CA", "NL-be", "it", "pt-BR"].map(languageFor)).toEqual(["de", "fr", "nl", "it", "pt"]);
    expect(languageFor("en-GB")).toBe("en-GB");
    expect(allText({ ...iphone, locale: "en-GB", os_version: "16" })).toContain("Settings › Mobile Data › Add eSIM");
  });

  it("has every step in every language", () => {
    for (const locale of ["en", "es", "fr", "de", "nl", "it", "pt"]) {
      const json = renderInstructionsJson({ ...iphone, locale, os_version: "16" });
      expect(json.steps.length).toBeGreaterThanOrEqual(6);
      if (locale !== "en") expect(json.title).not.toBe("Install your travel eSIM");
    }
  });
});

describe("safe, branded HTML", () => {
  it("is a standalone document in the partner's colours and logo, with no scripts", async () => {
    const html = await renderInstructionsHtml({ ...iphone, os_version: "16" });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain("--brand-primary: #ff5733");
    expect(html).toContain("--brand-secondary: #33ff57");
    expect(html).toContain('font-family: "Roboto", ');
    expect(html).toContain('<img src="https://example.com/logo.png" alt="Demo Travel">');
    expect(html).toMatch(/<ol>(\s*<li>.*?<\/li>){6,}/s);
    expect(html).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
  });

  it("escapes a malicious device name and brand name", async () => {
    const html = await renderInstructionsHtml({
      ...iphone,
      device_name: '<script>alert("x")</script>',
      branding: { ...branding, name: '"><img src=x onerror=alert(1)>' },
    });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });

  it("falls back to default colours and font when the branding's are not plain values", async () => {
    const html = await renderInstructionsHtml({
      ...iphone,
      branding: {
        ...branding,
        primary_color: "red;}</style><script>alert(1)</script>",
        secondary_color: "#12345",
        font: 'x";}body{display:none',
      },
    });
    expect(html).toContain("--brand-primary: #0f766e");
    expect(html).toContain("--brand-secondary: #f59e0b");
    expect(html).not.toContain("display:none");
    expect(html).not.toContain("<script>");
    expect(await renderInstructionsHtml({ ...iphone, branding: { ...branding, primary_color: "#abc" } })).toContain(
      "--brand-primary: #abc",
    );
  });

  it("shows a logo only from an http(s) URL", async () => {
    for (const logo of [
      "javascript:alert(1)",
      "data:image/svg+xml,<svg onload=alert(1)>",
      "//evil.example/x.png",
      "",
    ]) {
      const html = await renderInstructionsHtml({ ...iphone, branding: { ...branding, logo } });
      expect(html).not.toContain("<img");
      expect(html).toContain("<strong>Demo Travel</strong>");
    }
    const http = await renderInstructionsHtml({
      ...iphone,
      branding: { ...branding, logo: "http://localhost:4010/a.svg" },
    });
    expect(http).toContain('<img src="http://localhost:4010/a.svg"');
  });

  it("is deterministic", async () => {
    const input = { ...iphone, os_version: "16" };
    expect(await renderInstructionsHtml(input)).toBe(await renderInstructionsHtml(input));
  });
});

describe("request body", () => {
  const valid = {
    external_user_id: "user_abc123",
    device_name: "Google Pixel 10",
    device_type: "phone",
    phone_os: "android",
    os_version: "15",
    locale: "mk-MK",
  };

  it("accepts the documented example and normalises case", () => {
    const parsed = instructionsInputSchema.parse({ ...valid, format: "HTML", phone_os: "iOS", os_version: 17.4 });
    expect(parsed).toEqual({ ...valid, format: "html", phone_os: "ios", os_version: "17.4" });
    expect(instructionsInputSchema.parse({ ...valid, device_type: undefined, locale: undefined })).toMatchObject({
      format: "html",
      device_type: "phone",
    });
  });

  it("names each missing or wrong field", () => {
    const issues = (body: unknown) => {
      const result = instructionsInputSchema.safeParse(body);
      return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(issues({})).toEqual({
      external_user_id: "is required",
      device_name: "is required",
      phone_os: "is required",
      os_version: "is required",
    });
    expect(
      issues({ ...valid, format: "pdf", phone_os: "symbian", os_version: "x", locale: "??", device_name: " " }),
    ).toEqual({
      format: "must be html, json or markdown",
      phone_os: "must be ios or android",
      os_version: "must be a version such as 17.4 or 15",
      locale: "must be a language tag such as en or en-GB",
      device_name: "is required",
    });
  });
});

describe("markdown and brand keys", () => {
  it("renders the same steps as Markdown", () => {
    const markdown = renderInstructionsMarkdown({ ...iphone, os_version: "16" });
    expect(markdown).toMatch(/^# Install your travel eSIM\n/);
    expect(markdown).toContain("2. **Scan the QR code**");
    expect(markdown).toContain("SM-DP+: `smdp.example.com`");
  });

  it("accepts a custom_branding key to preview", () => {
    const parsed = instructionsInputSchema.parse({
      external_user_id: "user_abc123",
      device_name: "Google Pixel 10",
      phone_os: "android",
      os_version: "15",
      format: "Markdown",
      custom_branding: " your-brand ",
    });
    expect(parsed).toMatchObject({ format: "markdown", custom_branding: "your-brand" });
  });
});
