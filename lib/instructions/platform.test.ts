import { describe, expect, it } from "vitest";
import { installsProgrammatically, platformNote, provisioningUrl } from "./platform";
import { readInstructions, reportedBranding } from "./reply";

const LPA = "LPA:1$smdp.example.com$ACTIVATION-CODE";

describe("platform notes", () => {
  it("iOS 17.4 and later install from Apple's link with the traveler's LPA string", () => {
    expect(installsProgrammatically("ios", "17.4")).toBe(true);
    expect(installsProgrammatically("ios", "18")).toBe(true);
    expect(installsProgrammatically("ios", "17.3.1")).toBe(false);
    expect(installsProgrammatically("android", "15")).toBe(false);
    const note = platformNote({ phoneOs: "ios", osVersion: "17.4", lpa: LPA });
    expect(note.title).toBe("iOS 17.4 and later: one-tap install");
    expect(note.values).toContainEqual({
      label: "Install link",
      value:
        "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA%3A1%24smdp.example.com%24ACTIVATION-CODE",
    });
  });

  it("older iOS scans a QR code and can type the parsed SM-DP+ address and code", () => {
    const note = platformNote({ phoneOs: "ios", osVersion: "16", lpa: LPA });
    expect(note.title).toBe("iOS before 17.4: scan a QR code");
    expect(note.values).toEqual([
      { label: "LPA string (current_esim.qr)", value: LPA },
      { label: "SM-DP+ address", value: "smdp.example.com" },
      { label: "Matching id", value: "ACTIVATION-CODE" },
    ]);
  });

  it("Android gets the SM-DP+ address, the matching id and Google's link; without an LPA, the documented form", () => {
    const note = platformNote({ phoneOs: "android", osVersion: "15", lpa: LPA });
    expect(note.values.map((value) => value.label)).toEqual([
      "LPA string (current_esim.qr)",
      "SM-DP+ address",
      "Matching id",
      "Install link",
    ]);
    const unknown = platformNote({ phoneOs: "android", osVersion: "15", lpa: null });
    expect(unknown.values).toContainEqual({
      label: "Install link",
      value: "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=LPA:1$<SM-DP+ address>$<matching id>",
    });
    expect(unknown.body).toContain("not known");
    expect(provisioningUrl("android", LPA)).toMatch(/^https:\/\/esimsetup\.android\.com\//);
  });
});

describe("reading Hubby's instructions reply", () => {
  it("finds HTML, text or JSON, and the branding when the reply reports it", () => {
    expect(readInstructions({ format: "html", html: "<p>x</p>" }, "html")).toEqual({ kind: "html", html: "<p>x</p>" });
    expect(readInstructions("<p>bare</p>", "html")).toEqual({ kind: "html", html: "<p>bare</p>" });
    expect(readInstructions("<p>bare</p>", "markdown")).toEqual({ kind: "text", text: "<p>bare</p>" });
    expect(readInstructions({ markdown: "# Hi" }, "markdown")).toEqual({ kind: "text", text: "# Hi" });
    expect(readInstructions({ steps: [] }, "json")).toEqual({ kind: "json", json: { steps: [] } });
    expect(reportedBranding({ branding: { key: "your-brand", name: "Your Brand" } })).toEqual({
      key: "your-brand",
      name: "Your Brand",
    });
    expect(reportedBranding({ custom_branding: "brand_luxury_travel" })).toEqual({
      key: "brand_luxury_travel",
      name: null,
    });
    expect(reportedBranding({ html: "" })).toBeNull();
  });
});
