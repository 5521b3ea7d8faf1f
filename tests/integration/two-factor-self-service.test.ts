import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { authorizeCredentials, THROTTLED_ERROR } from "@/lib/auth/options";
import { THROTTLE_MAX_FAILURES } from "@/lib/auth/throttle";
import { authorizeSecondFactor, disableOwnTwoFactor, regenerateRecoveryCodes } from "@/lib/auth/two-factor";
import { totpCode } from "@/lib/auth/two-factor-codes";
import {
  beginTwoFactorAction,
  confirmTwoFactorAction,
  disableTwoFactorAction,
  regenerateRecoveryCodesAction,
} from "@/app/(console)/account/actions";
import { form, signInAs, TEST_PASSWORD } from "../support/factories";
import { setSession } from "../support/session";

let ipCounter = 0;
const freshIp = () => `10.2.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
/** A code for the step after the enrolment's: accepted (one step of drift) and not yet used. */
const nextCode = (secret: string) => totpCode(secret, Date.now() + 30_000);

/** A signed-in member with TOTP on (set up through the account actions): the secret and the recovery codes. */
async function enrolled(role: "admin" | "support" = "support") {
  const user = await signInAs(role);
  const begun = await beginTwoFactorAction(null, form({}));
  if (!begun.ok) throw new Error(begun.message);
  const confirmed = await confirmTwoFactorAction(null, form({ code: totpCode(begun.data.secret) }));
  if (!confirmed.ok) throw new Error(confirmed.message);
  return { user, secret: begun.data.secret, recoveryCodes: confirmed.data.recoveryCodes };
}

/** Signs in with the password, then `code` as the second factor; answers whether it got a session. */
async function signsInWithCode(email: string, code: string): Promise<boolean> {
  const error = await authorizeCredentials({ email, password: TEST_PASSWORD }, freshIp()).then(
    () => new Error("signed in without a second factor"),
    (thrown: Error) => thrown,
  );
  const challenge = /^TwoFactor:(.+)$/.exec(error.message)?.[1];
  if (!challenge) throw error;
  return (await authorizeSecondFactor({ challenge, code }, freshIp(), THROTTLED_ERROR)) !== null;
}

function setRequire2fa(value: "admin" | "all" | undefined) {
  if (value === undefined) delete process.env.REQUIRE_2FA_FOR;
  else process.env.REQUIRE_2FA_FOR = value;
  resetEnvCache();
}

const lastEntry = (action: string, actorId: string) =>
  db().auditEntry.findFirst({ where: { action, actorId }, orderBy: { id: "desc" } });

beforeEach(() => setSession(null));
afterEach(() => setRequire2fa(undefined));

describe("new recovery codes from /account", () => {
  it("with the current TOTP code: ten new codes, shown once; the old ones stop working (audited)", async () => {
    const { user, secret, recoveryCodes: old } = await enrolled();
    const result = await regenerateRecoveryCodesAction(null, form({ proof: nextCode(secret) }));
    if (!result.ok) throw new Error(result.message);
    const fresh = result.data.recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => old.includes(code))).toEqual([]);
    expect(await db().staffRecoveryCode.count({ where: { staffId: user.id, usedAt: null } })).toBe(10);
    expect(await lastEntry("account.recovery_codes_regenerate", user.id)).toMatchObject({
      result: "ok",
      targetId: user.id,
    });
    setSession(null);
    expect(await signsInWithCode(user.email, old[0]!)).toBe(false);
    expect(await signsInWithCode(user.email, fresh[0]!)).toBe(true);
  });

  it("with the password instead of a code; a wrong answer is refused, audited and counted as a failed sign-in", async () => {
    const { user, recoveryCodes: old } = await enrolled();
    const wrong = await regenerateRecoveryCodesAction(null, form({ proof: "not-my-password-at-all" }));
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { proof: [expect.stringMatching(/neither the code/)] } });
    expect(await lastEntry("account.recovery_codes_regenerate", user.id)).toMatchObject({ result: "refused" });
    expect(await db().loginAttempt.count({ where: { email: user.email, success: false } })).toBe(1);
    // Nothing changed: the old codes still sign in.
    expect(await db().staffRecoveryCode.count({ where: { staffId: user.id, usedAt: null } })).toBe(10);

    const right = await regenerateRecoveryCodesAction(null, form({ proof: TEST_PASSWORD }));
    expect(right).toMatchObject({ ok: true, data: { recoveryCodes: expect.any(Array) } });
    setSession(null);
    expect(await signsInWithCode(user.email, old[1]!)).toBe(false);
  });

  it("is throttled like sign-in: after five wrong answers even the right password is refused", async () => {
    const { user } = await enrolled();
    for (let attempt = 0; attempt < THROTTLE_MAX_FAILURES; attempt++) {
      await expect(regenerateRecoveryCodes(user, "a-wrong-password-guess", freshIp())).rejects.toThrow(/neither/);
    }
    await expect(regenerateRecoveryCodes(user, TEST_PASSWORD, freshIp())).rejects.toThrow(/Too many failed attempts/);
    await expect(disableOwnTwoFactor(user, "123456", freshIp())).rejects.toThrow(/Too many failed attempts/);
  });
});

describe("turning two-factor off from /account", () => {
  it("needs the current code: a wrong one is refused and counted; the right one turns it off (audited)", async () => {
    const { user, secret } = await enrolled();
    const wrong = await disableTwoFactorAction(null, form({ code: "000000" }));
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { code: [expect.stringMatching(/not right/)] } });
    expect(await lastEntry("account.two_factor_disable", user.id)).toMatchObject({ result: "refused" });
    expect(await db().loginAttempt.count({ where: { email: user.email, success: false } })).toBe(1);
    expect(await db().staffTwoFactor.count({ where: { staffId: user.id } })).toBe(1);

    expect(await disableTwoFactorAction(null, form({ code: nextCode(secret) }))).toEqual({ ok: true, data: null });
    expect(await db().staffTwoFactor.count({ where: { staffId: user.id } })).toBe(0);
    expect(await db().staffRecoveryCode.count({ where: { staffId: user.id } })).toBe(0);
    expect(await lastEntry("account.two_factor_disable", user.id)).toMatchObject({ result: "ok", targetId: user.id });
    // The password alone signs in now.
    expect(await authorizeCredentials({ email: user.email, password: TEST_PASSWORD }, freshIp())).toMatchObject({
      id: user.id,
    });
  });

  for (const setting of ["admin", "all"] as const) {
    it(`is refused with the reason when REQUIRE_2FA_FOR=${setting} covers the role, and stays on`, async () => {
      setRequire2fa(setting);
      const { user, secret } = await enrolled("admin");
      const refused = await disableTwoFactorAction(null, form({ code: nextCode(secret) }));
      expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/required for your role/) });
      expect(await lastEntry("account.two_factor_disable", user.id)).toMatchObject({ result: "refused" });
      expect(await db().staffTwoFactor.count({ where: { staffId: user.id, enabledAt: { not: null } } })).toBe(1);
    });
  }

  it("a member without two-factor is told so", async () => {
    await signInAs("support");
    expect(await disableTwoFactorAction(null, form({ code: "123456" }))).toMatchObject({
      ok: false,
      message: "Two-factor sign-in is already off.",
    });
    expect(await regenerateRecoveryCodesAction(null, form({ proof: TEST_PASSWORD }))).toMatchObject({
      ok: false,
      message: "Two-factor sign-in is not on for your account.",
    });
  });
});
