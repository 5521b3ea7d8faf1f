import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { FORBIDDEN_MESSAGE } from "@/lib/actions";
import { authorizeCredentials, THROTTLED_ERROR } from "@/lib/auth/options";
import { THROTTLE_MAX_FAILURES } from "@/lib/auth/throttle";
import {
  authorizeSecondFactor,
  beginChallengeEnrolment,
  beginEnrolment,
  confirmChallengeEnrolment,
  confirmEnrolment,
  TWO_FACTOR_EXPIRED_ERROR,
} from "@/lib/auth/two-factor";
import { totpCode } from "@/lib/auth/two-factor-codes";
import { getCurrentStaff } from "@/lib/auth/staff";
import { confirmTwoFactorAction, beginTwoFactorAction } from "@/app/(console)/account/actions";
import { resetTwoFactorAction } from "@/app/(console)/staff/actions";
import { form, makeStaff, signInAs, TEST_PASSWORD } from "../support/factories";
import { setSession } from "../support/session";

let ipCounter = 0;
const freshIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
/** A code for the step after `now`: accepted (one step of drift) and never the step the previous code used. */
const nextCode = (secret: string, stepsAhead = 1) => totpCode(secret, Date.now() + stepsAhead * 30_000);

/** The password step's refusal when a second factor is due: `TwoFactor:<challenge>` or `TwoFactorEnrol:<…>`. */
async function passwordStep(email: string, ip = freshIp()): Promise<{ kind: string; challenge: string }> {
  const error = await authorizeCredentials({ email, password: TEST_PASSWORD }, ip).then(
    () => new Error("signed in without a second factor"),
    (thrown: Error) => thrown,
  );
  const match = /^(TwoFactor|TwoFactorEnrol):(.+)$/.exec(error.message);
  if (!match) throw error;
  return { kind: match[1]!, challenge: match[2]! };
}

/** A staff member with TOTP on (set up through the account actions); answers the secret and the recovery codes. */
async function enrolled(role: "admin" | "support" = "support") {
  const user = await signInAs(role);
  const begun = await beginTwoFactorAction(null, form({}));
  if (!begun.ok) throw new Error(begun.message);
  const confirmed = await confirmTwoFactorAction(null, form({ code: totpCode(begun.data.secret) }));
  if (!confirmed.ok) throw new Error(confirmed.message);
  setSession(null);
  return { user, secret: begun.data.secret, recoveryCodes: confirmed.data.recoveryCodes };
}

function setRequire2fa(value: "none" | "admin" | "all" | undefined) {
  if (value === undefined) delete process.env.REQUIRE_2FA_FOR;
  else process.env.REQUIRE_2FA_FOR = value;
  resetEnvCache();
}

describe("TOTP enrolment from the account screen", () => {
  beforeEach(() => setSession(null));

  it("stores the secret encrypted, turns TOTP on only with a right code, and hashes ten recovery codes", async () => {
    const user = await signInAs("support");
    const begun = await beginTwoFactorAction(null, form({}));
    if (!begun.ok) throw new Error(begun.message);
    expect(begun.data.uri).toContain(`secret=${begun.data.secret}`);
    expect(begun.data.qrSvg).toMatch(/^<svg/);
    const stored = await db().staffTwoFactor.findUniqueOrThrow({ where: { staffId: user.id } });
    expect(stored.secret).not.toContain(begun.data.secret);
    expect(stored.enabledAt).toBeNull();

    const wrong = await confirmTwoFactorAction(null, form({ code: totpCode(begun.data.secret, Date.now() - 600_000) }));
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { code: [expect.stringMatching(/not right/)] } });
    const notDigits = await confirmTwoFactorAction(null, form({ code: "abc" }));
    expect(notDigits).toMatchObject({ ok: false, fieldErrors: { code: [expect.stringMatching(/6-digit/)] } });

    const confirmed = await confirmTwoFactorAction(null, form({ code: totpCode(begun.data.secret) }));
    if (!confirmed.ok) throw new Error(confirmed.message);
    expect(confirmed.data.recoveryCodes).toHaveLength(10);
    const hashes = await db().staffRecoveryCode.findMany({ where: { staffId: user.id } });
    expect(hashes).toHaveLength(10);
    for (const row of hashes) expect(row.codeHash).toMatch(/^\$argon2id\$/);
    expect((await db().staffTwoFactor.findUniqueOrThrow({ where: { staffId: user.id } })).enabledAt).not.toBeNull();
    expect(
      await db().auditEntry.findFirst({ where: { action: "account.two_factor_enrol", actorId: user.id } }),
    ).toMatchObject({
      result: "ok",
    });
    // On is on: setting it up again needs an admin's reset first.
    expect(await beginTwoFactorAction(null, form({}))).toMatchObject({ ok: false, message: /already on/ });
  });
});

describe("signing in with TOTP", () => {
  beforeEach(() => setSession(null));

  it("a right password alone gives no session, only a challenge; the right code then signs in once", async () => {
    const { user, secret } = await enrolled();
    const step = await passwordStep(user.email);
    expect(step.kind).toBe("TwoFactor");
    expect(await db().loginAttempt.count({ where: { email: user.email, success: true } })).toBe(0);

    const code = nextCode(secret);
    const signedIn = await authorizeSecondFactor({ challenge: step.challenge, code }, freshIp(), THROTTLED_ERROR);
    expect(signedIn).toMatchObject({ id: user.id, role: "support", sessionVersion: 1 });
    const entry = await db().auditEntry.findFirst({ where: { action: "auth.sign_in", actorId: user.id } });
    expect(entry?.details).toMatchObject({ secondFactor: "totp" });

    // The challenge is spent, and the same code is refused on a new one (no replay within its 90 s of validity).
    await expect(
      authorizeSecondFactor({ challenge: step.challenge, code }, freshIp(), THROTTLED_ERROR),
    ).rejects.toThrow(TWO_FACTOR_EXPIRED_ERROR);
    const again = await passwordStep(user.email);
    expect(await authorizeSecondFactor({ challenge: again.challenge, code }, freshIp(), THROTTLED_ERROR)).toBeNull();
    const failure = await db().auditEntry.findFirst({
      where: { action: "auth.sign_in_failed", actorId: user.id },
      orderBy: { id: "desc" },
    });
    expect(failure?.details).toMatchObject({ reason: "wrong_totp_code" });
  });

  it("an expired or made-up challenge is refused", async () => {
    const { user, secret } = await enrolled();
    const step = await passwordStep(user.email);
    await db().signInChallenge.updateMany({
      where: { staffId: user.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await expect(
      authorizeSecondFactor({ challenge: step.challenge, code: nextCode(secret) }, freshIp(), THROTTLED_ERROR),
    ).rejects.toThrow(TWO_FACTOR_EXPIRED_ERROR);
    await expect(
      authorizeSecondFactor({ challenge: "x".repeat(43), code: nextCode(secret) }, freshIp(), THROTTLED_ERROR),
    ).rejects.toThrow(TWO_FACTOR_EXPIRED_ERROR);
  });

  it("a recovery code signs in once; its second use is refused", async () => {
    const { user, recoveryCodes } = await enrolled();
    const code = recoveryCodes[3]!.toUpperCase();
    const first = await passwordStep(user.email);
    expect(await authorizeSecondFactor({ challenge: first.challenge, code }, freshIp(), THROTTLED_ERROR)).toMatchObject(
      {
        id: user.id,
      },
    );
    const entry = await db().auditEntry.findFirst({
      where: { action: "auth.sign_in", actorId: user.id },
      orderBy: { id: "desc" },
    });
    expect(entry?.details).toMatchObject({ secondFactor: "recovery_code", recoveryCodesLeft: 9 });

    const second = await passwordStep(user.email);
    expect(await authorizeSecondFactor({ challenge: second.challenge, code }, freshIp(), THROTTLED_ERROR)).toBeNull();
    expect(await db().staffRecoveryCode.count({ where: { staffId: user.id, usedAt: null } })).toBe(9);
  });

  it("wrong codes are throttled like passwords: after 5, even the right code is refused", async () => {
    const { user, secret } = await enrolled();
    let challenge = "";
    for (let attempt = 0; attempt < THROTTLE_MAX_FAILURES; attempt++) {
      // The right password each time must not reset the count of wrong codes.
      challenge = (await passwordStep(user.email)).challenge;
      expect(await authorizeSecondFactor({ challenge, code: "000000" }, freshIp(), THROTTLED_ERROR)).toBeNull();
    }
    expect(await db().loginAttempt.count({ where: { email: user.email, success: false } })).toBe(THROTTLE_MAX_FAILURES);
    // A challenge still open cannot go on guessing, even with the right code, and the password step is refused.
    await expect(
      authorizeSecondFactor({ challenge, code: nextCode(secret) }, freshIp(), THROTTLED_ERROR),
    ).rejects.toThrow(THROTTLED_ERROR);
    await expect(authorizeCredentials({ email: user.email, password: TEST_PASSWORD }, freshIp())).rejects.toThrow(
      THROTTLED_ERROR,
    );
    const throttled = await db().auditEntry.findFirst({
      where: { action: "auth.throttled", targetId: user.email },
      orderBy: { id: "desc" },
    });
    expect(throttled?.result).toBe("refused");
  });

  it("an IP that guesses codes is throttled for every account", async () => {
    const ip = freshIp();
    const { user, secret } = await enrolled();
    for (let attempt = 0; attempt < THROTTLE_MAX_FAILURES; attempt++) {
      const other = await enrolled();
      const step = await passwordStep(other.user.email, freshIp());
      expect(
        await authorizeSecondFactor({ challenge: step.challenge, code: "111111" }, ip, THROTTLED_ERROR),
      ).toBeNull();
    }
    const step = await passwordStep(user.email);
    await expect(
      authorizeSecondFactor({ challenge: step.challenge, code: nextCode(secret) }, ip, THROTTLED_ERROR),
    ).rejects.toThrow(THROTTLED_ERROR);
    expect(
      await authorizeSecondFactor({ challenge: step.challenge, code: nextCode(secret) }, freshIp(), THROTTLED_ERROR),
    ).toMatchObject({ id: user.id });
  });
});

describe("REQUIRE_2FA_FOR", () => {
  afterEach(() => setRequire2fa(undefined));

  it("with `admin`, an admin without TOTP enrols right after the password; support signs in as before", async () => {
    setRequire2fa("admin");
    const support = await makeStaff("support");
    expect(await authorizeCredentials({ email: support.email, password: TEST_PASSWORD }, freshIp())).toMatchObject({
      id: support.id,
    });

    const admin = await makeStaff("admin");
    const step = await passwordStep(admin.email);
    expect(step.kind).toBe("TwoFactorEnrol");
    // No code was set up yet: the challenge alone does not sign in.
    await expect(authorizeSecondFactor({ challenge: step.challenge }, freshIp(), THROTTLED_ERROR)).rejects.toThrow(
      TWO_FACTOR_EXPIRED_ERROR,
    );

    const setup = await beginChallengeEnrolment(step.challenge);
    expect(setup.email).toBe(admin.email);
    const ip = freshIp();
    await expect(
      confirmChallengeEnrolment(step.challenge, totpCode(setup.secret, Date.now() - 600_000), ip),
    ).rejects.toMatchObject({ fieldErrors: { code: [expect.stringMatching(/not right/)] } });
    expect(await db().loginAttempt.count({ where: { email: admin.email, success: false } })).toBe(1);

    const { recoveryCodes } = await confirmChallengeEnrolment(step.challenge, totpCode(setup.secret), ip);
    expect(recoveryCodes).toHaveLength(10);
    expect(await authorizeSecondFactor({ challenge: step.challenge }, ip, THROTTLED_ERROR)).toMatchObject({
      id: admin.id,
      role: "admin",
    });
    // Single use, and from now on the admin signs in with a code.
    await expect(authorizeSecondFactor({ challenge: step.challenge }, ip, THROTTLED_ERROR)).rejects.toThrow(
      TWO_FACTOR_EXPIRED_ERROR,
    );
    expect((await passwordStep(admin.email)).kind).toBe("TwoFactor");
  });

  it("with `all`, every role must enrol; with `none`, nobody", async () => {
    setRequire2fa("all");
    const support = await makeStaff("support");
    expect((await passwordStep(support.email)).kind).toBe("TwoFactorEnrol");
    setRequire2fa("none");
    expect(await authorizeCredentials({ email: support.email, password: TEST_PASSWORD }, freshIp())).toMatchObject({
      id: support.id,
    });
  });
});

describe("an admin resets a staff member's two-factor", () => {
  it("removes TOTP and recovery codes, ends their sessions, and audits it", async () => {
    const { user } = await enrolled("support");
    setSession(user);
    expect(await getCurrentStaff()).not.toBeNull();

    const admin = await signInAs("admin");
    const result = await resetTwoFactorAction(null, form({ id: user.id }));
    expect(result).toEqual({ ok: true, data: { email: user.email } });
    expect(await db().staffTwoFactor.count({ where: { staffId: user.id } })).toBe(0);
    expect(await db().staffRecoveryCode.count({ where: { staffId: user.id } })).toBe(0);
    const entry = await db().auditEntry.findFirst({ where: { action: "staff.reset_two_factor", actorId: admin.id } });
    expect(entry).toMatchObject({ result: "ok", targetId: user.id, details: { hadTwoFactor: true } });

    setSession(user);
    expect(await getCurrentStaff()).toBeNull();
    expect(await authorizeCredentials({ email: user.email, password: TEST_PASSWORD }, freshIp())).toMatchObject({
      id: user.id,
    });
  });

  it("is refused to every role but admin, and the refusal is audited", async () => {
    const { user } = await enrolled("support");
    for (const role of ["support", "campaign_manager"] as const) {
      const actor = await signInAs(role);
      expect(await resetTwoFactorAction(null, form({ id: user.id }))).toEqual({
        ok: false,
        message: FORBIDDEN_MESSAGE,
      });
      expect(
        await db().auditEntry.findFirst({ where: { action: "staff.reset_two_factor", actorId: actor.id } }),
      ).toMatchObject({ result: "refused" });
    }
    expect(await db().staffTwoFactor.count({ where: { staffId: user.id, enabledAt: { not: null } } })).toBe(1);
  });

  it("a right code through the account screen still needs the enrolment that was started", async () => {
    const user = await signInAs("support");
    await expect(confirmEnrolment(user.id, "123456")).rejects.toThrow(/Start the set-up again/);
    await beginEnrolment(user);
    expect(await db().staffTwoFactor.count({ where: { staffId: user.id, enabledAt: null } })).toBe(1);
  });
});
