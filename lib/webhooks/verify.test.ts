import { describe, expect, it } from "vitest";
import { verifyWebhook, webhookSignature } from "./verify";

const settings = {
  apiKey: "whk_key",
  authHeader: "x-api-key",
  authPrefix: "",
  signingSecret: "whsec_secret",
  timestampHeader: "x-hubby-timestamp",
  toleranceMs: 60_000,
};
const now = 1_780_000_000_000;
const timestamp = String(now / 1000);
const body = Buffer.from('{"event":"esim.installed","data":{"external_user_id":"u1"}}');
const signature = webhookSignature(settings.signingSecret, timestamp, body);

function verify(signatureHeader: string, apiKey = settings.apiKey) {
  const values: Record<string, string> = {
    "x-api-key": apiKey,
    "x-hubby-timestamp": timestamp,
    "x-hubby-signature": signatureHeader,
  };
  return verifyWebhook({ get: (name) => values[name] ?? null }, body, settings, now);
}

describe("verifyWebhook's signature check", () => {
  it("accepts the signature, in either case of hex, alone or among others (rotation)", () => {
    expect(verify(`sha256=${signature}`)).toEqual({ ok: true });
    expect(verify(`sha256=${signature.toUpperCase()}`)).toEqual({ ok: true });
    expect(verify(`sha256=${"0".repeat(64)}, sha256=${signature}`)).toEqual({ ok: true });
  });

  it("refuses a signature that differs in one character, is cut short, runs long or has another scheme", () => {
    const flipped = `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`;
    for (const header of [
      `sha256=${flipped}`,
      `sha256=${signature.slice(0, -2)}`,
      `sha256=${signature}00`,
      `sha256=`,
      `sha1=${signature}`,
      signature,
      // As long as a digest, but not hex: latin1 would read "š" as "a" if the check looked only at bytes.
      `sha256=${"é".repeat(64)}`,
      `sha256=${[...signature].map((c) => (c === "a" ? "š" : c)).join("")}`,
    ]) {
      expect(verify(header), header).toEqual({ ok: false, reason: "bad_signature" });
    }
  });

  it("refuses a wrong key before looking at the signature, whatever the key's length", () => {
    for (const key of ["", "whk_ke", "whk_key_", "x".repeat(300)]) {
      expect(verify(`sha256=${signature}`, key), key).toEqual({ ok: false, reason: "wrong_api_key" });
    }
  });
});
