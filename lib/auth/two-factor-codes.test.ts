import { describe, expect, it } from "vitest";
import {
  acceptedTotpStep,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  openSecret,
  sealSecret,
  totpCode,
  totpStep,
  totpUri,
} from "./two-factor-codes";

// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890"), base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const APP_SECRET = "unit-test-app-secret-0123456789abcdef";

describe("TOTP codes", () => {
  it("computes RFC 6238's test vectors (6 digits, SHA-1, 30 s)", () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe("287082");
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe("081804");
    expect(totpCode(RFC_SECRET, 1_234_567_890_000)).toBe("005924");
  });

  it("accepts the current code and one step either side, answering the code's own step", () => {
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now), null, now)).toBe(step);
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now - 30_000), null, now)).toBe(step - 1);
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now + 30_000), null, now)).toBe(step + 1);
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now - 90_000), null, now)).toBeNull();
  });

  it("refuses a code whose step was already used, and anything that is not six digits", () => {
    const now = 1_700_000_000_000;
    const code = totpCode(RFC_SECRET, now);
    expect(acceptedTotpStep(RFC_SECRET, code, totpStep(now), now)).toBeNull();
    expect(acceptedTotpStep(RFC_SECRET, code, totpStep(now) - 1, now)).toBe(totpStep(now));
    expect(acceptedTotpStep(RFC_SECRET, ` ${code.slice(0, 3)} ${code.slice(3)} `, null, now)).toBe(totpStep(now));
    for (const bad of ["", "12345", "1234567", "abcdef", "12345a"]) {
      expect(acceptedTotpStep(RFC_SECRET, bad, null, now)).toBeNull();
    }
  });

  it("makes a 160-bit secret and an otpauth URI naming the console and the account", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, "ada@example.test"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Hubby console:ada@example.test");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Hubby console");
  });
});

describe("secret at rest", () => {
  it("round-trips under the same app secret and fails closed under another or when altered", () => {
    const secret = newTotpSecret();
    const sealed = sealSecret(secret, APP_SECRET);
    expect(sealed).not.toContain(secret);
    expect(sealSecret(secret, APP_SECRET)).not.toBe(sealed);
    expect(openSecret(sealed, APP_SECRET)).toBe(secret);
    expect(openSecret(sealed, `${APP_SECRET}-rotated`)).toBeNull();
    const parts = sealed.split(".");
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith("AA") ? "BB" : "AA");
    expect(openSecret(parts.join("."), APP_SECRET)).toBeNull();
    expect(openSecret("not sealed", APP_SECRET)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("makes ten distinct codes that read unambiguously", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
    }
  });

  it("ignores case, spaces and dashes, and tells a recovery code from a TOTP code", () => {
    expect(normalizeRecoveryCode(" K7M2P-X9QRT ")).toBe("k7m2px9qrt");
    expect(looksLikeRecoveryCode("K7M2P X9QRT")).toBe(true);
    expect(looksLikeRecoveryCode("123456")).toBe(false);
    expect(looksLikeRecoveryCode("k7m2p-x9qr")).toBe(false);
  });
});
