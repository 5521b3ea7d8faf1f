import { describe, expect, it } from "vitest";
import {
  instructionsInputSchema,
  renderInstructionsHtml,
  renderInstructionsJson,
  type RenderInput,
} from "./instructions";

const esim = { iccid: "8901234567890123456", qr: "LPA:1$smdp.example.com$ACTIVATION-CODE" };
const branding = {
  name: "Demo Travel",
  primary_color: "#FF5733",
  secondary_color: "#33FF57",
  logo: "https://example.com/logo.png",
};
const base: RenderInput = {
  device_name: "iPhone 15 Pro",
  device_type: "phone",
  phone_os: "ios",
  os_version: "17.4",
  locale: "en-GB",
  branding,
  esim,
};

describe("sandbox installation instructions", () => {
  it("gives iOS 17.4 a one-tap link and older iOS a QR code with manual details", async () => {
    const modern = await renderInstructionsHtml(base);
    expect(modern).toContain(
      "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA%3A1%24smdp.example.com%24ACTIVATION-CODE",
    );
    expect(modern).not.toContain("<svg");
    const older = await renderInstructionsHtml({ ...base, device_name: "iPhone 12", os_version: "16.6" });
    expect(older).toContain("<svg");
    expect(older).toContain("smdp.example.com");
    expect(older).toContain("ACTIVATION-CODE");
    expect(older).toContain("Settings › Cellular › Add eSIM");
  });

  it("uses each Android maker's settings path", () => {
    const samsung = renderInstructionsJson({
      ...base,
      device_name: "Samsung Galaxy S10",
      phone_os: "android",
      os_version: "9",
    });
    const pixel = renderInstructionsJson({
      ...base,
      device_name: "Google Pixel 4",
      phone_os: "android",
      os_version: "9",
    });
    expect(JSON.stringify(samsung)).toContain("SIM manager");
    expect(JSON.stringify(pixel)).toContain("Network & internet");
    const modern = renderInstructionsJson({
      ...base,
      device_name: "Google Pixel 10",
      phone_os: "android",
      os_version: "15",
    });
    expect(modern.links[0]?.href).toContain("esimsetup.android.com");
  });

  it("speaks the traveler's language and falls back to English", async () => {
    expect(await renderInstructionsHtml({ ...base, locale: "es" })).toContain('lang="es"');
    expect(renderInstructionsJson({ ...base, locale: "es-ES" }).title).toBe("Instala tu eSIM de viaje");
    expect(renderInstructionsJson({ ...base, locale: "mk-MK" }).locale).toBe("en");
  });

  it("escapes everything it interpolates and validates branding", async () => {
    const html = await renderInstructionsHtml({
      ...base,
      device_name: '<script>alert(1)</script>"',
      branding: { ...branding, primary_color: "red;}</style><script>", logo: "javascript:alert(1)" },
    });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;");
    expect(html).toContain("--brand-primary:#0f766e");
    expect(html).not.toContain("javascript:");
  });

  it("says so when there is no eSIM yet", () => {
    expect(renderInstructionsJson({ ...base, esim: null })).toMatchObject({
      steps: [],
      intro: expect.stringContaining("no eSIM"),
    });
  });

  it("validates the request body like the API", () => {
    const parsed = instructionsInputSchema.safeParse({
      external_user_id: "u",
      device_name: "Pixel",
      phone_os: "Android",
      os_version: "15",
    });
    expect(parsed.success && parsed.data).toMatchObject({ phone_os: "android", format: "html" });
    const bad = instructionsInputSchema.safeParse({
      external_user_id: "u",
      device_name: "Pixel",
      phone_os: "symbian",
      os_version: "x",
    });
    expect(bad.success).toBe(false);
  });
});
