import "server-only";
import crypto from "node:crypto";
import QRCode from "qrcode";
import { db } from "../db";
import { getEnv, type Env } from "../env";
import { ActionError, ValidationError } from "../errors";
import { audit } from "../audit/audit";
import { hashPassword, verifyPassword } from "./password";
import type { StaffRole } from "./roles";
import { checkThrottle, recordLoginAttempt, recordSuccessfulSignIn } from "./throttle";
import {
  acceptedTotpStep,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  openSecret,
  sealSecret,
  totpUri,
} from "./two-factor-codes";

/**
 * Two-factor sign-in for password accounts (docs/decisions/0047). A correct password whose account has TOTP, or
 * must have it (REQUIRE_2FA_FOR), gives no session: it gives a sign-in challenge, a single-use token the login
 * form presents with a code (next-auth provider `two-factor`), or with which it first enrols. Wrong codes count
 * as failed sign-ins for the account and the IP, in the same throttle as passwords.
 */

/** How long the step between the password and the code may take. */
export const SIGN_IN_CHALLENGE_TTL_MS = 10 * 60 * 1000;

/** The errors the password step throws to the login form (next-auth hands an authorize() error to the client). */
export const TWO_FACTOR_CODE_ERROR = "TwoFactor";
export const TWO_FACTOR_ENROL_ERROR = "TwoFactorEnrol";
/** The challenge expired or was used: start again from the password. */
export const TWO_FACTOR_EXPIRED_ERROR = "TwoFactorExpired";

export type ChallengePurpose = "verify" | "enrol";

export function twoFactorRequiredFor(role: StaffRole, env: Env = getEnv()): boolean {
  return env.REQUIRE_2FA_FOR === "all" || (env.REQUIRE_2FA_FOR === "admin" && role === "admin");
}

function appSecret(): string {
  const secret = getEnv().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set: two-factor secrets cannot be encrypted without it.");
  return secret;
}

const sha256 = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

async function enabledTwoFactor(staffId: string) {
  const row = await db().staffTwoFactor.findUnique({ where: { staffId } });
  return row?.enabledAt ? row : null;
}

// ── The password step ────────────────────────────────────────────────────────────────────────────────────

/**
 * After a correct password: the challenge the account must pass before it gets a session, or null when it needs
 * no second factor. The error message for the login form is `${TWO_FACTOR_CODE_ERROR}:${token}` or
 * `${TWO_FACTOR_ENROL_ERROR}:${token}`.
 */
export async function secondFactorChallenge(user: { id: string; role: StaffRole }): Promise<string | null> {
  const purpose: ChallengePurpose | null = (await enabledTwoFactor(user.id))
    ? "verify"
    : twoFactorRequiredFor(user.role)
      ? "enrol"
      : null;
  if (!purpose) return null;
  const token = crypto.randomBytes(32).toString("base64url");
  const now = new Date();
  // Old challenges are swept here, where new ones are made: there are never many.
  await db().signInChallenge.deleteMany({ where: { expiresAt: { lt: now } } });
  await db().signInChallenge.create({
    data: {
      tokenHash: sha256(token),
      staffId: user.id,
      purpose,
      expiresAt: new Date(now.getTime() + SIGN_IN_CHALLENGE_TTL_MS),
    },
  });
  return `${purpose === "verify" ? TWO_FACTOR_CODE_ERROR : TWO_FACTOR_ENROL_ERROR}:${token}`;
}

async function liveChallenge(token: string, now = new Date()) {
  if (typeof token !== "string" || token.length < 20 || token.length > 200) return null;
  const challenge = await db().signInChallenge.findUnique({ where: { tokenHash: sha256(token) } });
  if (!challenge || challenge.expiresAt <= now) return null;
  const user = await db().staffUser.findUnique({ where: { id: challenge.staffId } });
  if (!user || user.disabled) return null;
  return { challenge, user };
}

// ── The code step (next-auth provider "two-factor") ───────────────────────────────────────────────────────

export type SignedInUser = { id: string; email: string; name: string; role: StaffRole; sessionVersion: number };

/**
 * Checks the code (TOTP or recovery code) for a challenge; the user for the session, or null for a wrong code
 * (counted by the throttle and audited). Throws TWO_FACTOR_EXPIRED_ERROR for an unknown, used or expired
 * challenge and `throttledError` when the account or IP has failed too often.
 */
export async function authorizeSecondFactor(
  input: { challenge: string; code?: string },
  ip: string,
  throttledError: string,
): Promise<SignedInUser | null> {
  const live = await liveChallenge(input.challenge);
  if (!live) throw new Error(TWO_FACTOR_EXPIRED_ERROR);
  const { challenge, user } = live;

  const throttle = await checkThrottle(user.email, ip);
  if (throttle.throttled) {
    await audit({
      action: "auth.throttled",
      targetType: "staff",
      targetId: user.email,
      result: "refused",
      details: { ip, by: throttle.by, retryAfterSeconds: throttle.retryAfterSeconds, step: "two_factor" },
    });
    throw new Error(throttledError);
  }

  let method: "totp" | "recovery_code" | "enrolment";
  if (challenge.purpose === "enrol") {
    // An enrolment finished on this challenge (confirmChallengeEnrolment) signs in without another code.
    if (!challenge.confirmedAt) throw new Error(TWO_FACTOR_EXPIRED_ERROR);
    method = "enrolment";
  } else {
    const code = input.code ?? "";
    const verified = looksLikeRecoveryCode(code)
      ? (await spendRecoveryCode(user.id, code)) && "recovery_code"
      : (await acceptTotp(user.id, code)) && "totp";
    if (!verified) {
      await recordLoginAttempt(user.email, ip, false);
      await audit({
        actor: { id: user.id, email: user.email },
        action: "auth.sign_in_failed",
        targetType: "staff",
        targetId: user.email,
        result: "error",
        details: { ip, reason: looksLikeRecoveryCode(code) ? "wrong_recovery_code" : "wrong_totp_code" },
      });
      return null;
    }
    method = verified;
  }

  // Single use: of two requests racing with one challenge, only the one that deletes it signs in.
  const { count } = await db().signInChallenge.deleteMany({ where: { tokenHash: challenge.tokenHash } });
  if (count === 0) throw new Error(TWO_FACTOR_EXPIRED_ERROR);
  const recoveryCodesLeft =
    method === "recovery_code"
      ? await db().staffRecoveryCode.count({ where: { staffId: user.id, usedAt: null } })
      : undefined;
  await recordSuccessfulSignIn(user, ip, {
    secondFactor: method,
    ...(recoveryCodesLeft !== undefined ? { recoveryCodesLeft } : {}),
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}

/** Accepts a TOTP code once: the step is recorded with a conditional update, so a replay (even a racing one) fails. */
async function acceptTotp(staffId: string, code: string): Promise<boolean> {
  const row = await enabledTwoFactor(staffId);
  const secret = row && openSecret(row.secret, appSecret());
  if (!row || !secret) return false;
  const lastUsed = row.lastUsedStep === null ? null : Number(row.lastUsedStep);
  const step = acceptedTotpStep(secret, code, lastUsed);
  if (step === null) return false;
  const { count } = await db().staffTwoFactor.updateMany({
    where: { staffId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
    data: { lastUsedStep: step },
  });
  return count === 1;
}

/** Spends a recovery code: compared against each unused hash, marked used with a conditional update. */
async function spendRecoveryCode(staffId: string, code: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(code);
  const unused = await db().staffRecoveryCode.findMany({
    where: { staffId, usedAt: null },
    select: { id: true, codeHash: true },
  });
  for (const candidate of unused) {
    if (await verifyPassword(candidate.codeHash, normalized)) {
      const { count } = await db().staffRecoveryCode.updateMany({
        where: { id: candidate.id, usedAt: null },
        data: { usedAt: new Date() },
      });
      return count === 1;
    }
  }
  return false;
}

// ── Enrolment ─────────────────────────────────────────────────────────────────────────────────────────────

export type EnrolmentSetup = { secret: string; uri: string; qrSvg: string };

async function setupFor(secret: string, email: string): Promise<EnrolmentSetup> {
  const uri = totpUri(secret, email);
  return { secret, uri, qrSvg: await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" }) };
}

async function storeRecoveryCodes(
  tx: Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0],
  staffId: string,
) {
  const codes = newRecoveryCodes();
  const hashes = await Promise.all(codes.map((code) => hashPassword(normalizeRecoveryCode(code))));
  await tx.staffRecoveryCode.deleteMany({ where: { staffId } });
  await tx.staffRecoveryCode.createMany({ data: hashes.map((codeHash) => ({ staffId, codeHash })) });
  return codes;
}

const WRONG_CODE = "That code is not right. Enter the 6-digit code your authenticator app shows now.";

/** A signed-in staff member starts (or restarts) setting TOTP up; nothing changes until confirmEnrolment. */
export async function beginEnrolment(staff: { id: string; email: string }): Promise<EnrolmentSetup> {
  if (await enabledTwoFactor(staff.id)) {
    throw new ActionError(
      "Two-factor sign-in is already on for your account. Ask an admin to reset it to set it up again.",
    );
  }
  const secret = newTotpSecret();
  const sealed = sealSecret(secret, appSecret());
  await db().staffTwoFactor.upsert({
    where: { staffId: staff.id },
    create: { staffId: staff.id, secret: sealed },
    update: { secret: sealed, enabledAt: null, lastUsedStep: null },
  });
  return setupFor(secret, staff.email);
}

/** Turns TOTP on with the first code from the app; answers the ten recovery codes, shown once. */
export async function confirmEnrolment(staffId: string, code: string): Promise<{ recoveryCodes: string[] }> {
  const row = await db().staffTwoFactor.findUnique({ where: { staffId } });
  if (!row || row.enabledAt) throw new ActionError("Start the set-up again: no set-up is waiting for a code.");
  const secret = openSecret(row.secret, appSecret());
  const step = secret ? acceptedTotpStep(secret, code, null) : null;
  if (step === null) throw new ValidationError({ code: [WRONG_CODE] }, WRONG_CODE);
  const recoveryCodes = await db().$transaction(async (tx) => {
    const { count } = await tx.staffTwoFactor.updateMany({
      where: { staffId, enabledAt: null, secret: row.secret },
      data: { enabledAt: new Date(), lastUsedStep: step },
    });
    if (count !== 1) throw new ActionError("Start the set-up again: it changed in another window.");
    return storeRecoveryCodes(tx, staffId);
  });
  return { recoveryCodes };
}

/** The enrolment step of a sign-in that requires TOTP (REQUIRE_2FA_FOR): the secret is kept on the challenge. */
export async function beginChallengeEnrolment(token: string): Promise<EnrolmentSetup & { email: string }> {
  const live = await liveChallenge(token);
  if (!live || live.challenge.purpose !== "enrol" || live.challenge.confirmedAt) {
    throw new ActionError("This sign-in has expired. Sign in again.");
  }
  const secret = newTotpSecret();
  await db().signInChallenge.update({
    where: { tokenHash: live.challenge.tokenHash },
    data: { pendingSecret: sealSecret(secret, appSecret()) },
  });
  return { ...(await setupFor(secret, live.user.email)), email: live.user.email };
}

/**
 * Finishes that enrolment with the first code: TOTP on, recovery codes made, the challenge marked confirmed so
 * the form can sign in with it. A wrong code counts against the sign-in throttle like a wrong password.
 */
export async function confirmChallengeEnrolment(
  token: string,
  code: string,
  ip: string,
): Promise<{ recoveryCodes: string[] }> {
  const live = await liveChallenge(token);
  if (!live || live.challenge.purpose !== "enrol" || live.challenge.confirmedAt || !live.challenge.pendingSecret) {
    throw new ActionError("This sign-in has expired. Sign in again.");
  }
  const { challenge, user } = live;
  const throttle = await checkThrottle(user.email, ip);
  if (throttle.throttled) {
    throw new ActionError("Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an admin.");
  }
  const secret = openSecret(challenge.pendingSecret!, appSecret());
  const step = secret ? acceptedTotpStep(secret, code, null) : null;
  if (step === null) {
    await recordLoginAttempt(user.email, ip, false);
    throw new ValidationError({ code: [WRONG_CODE] }, WRONG_CODE);
  }
  const recoveryCodes = await db().$transaction(async (tx) => {
    const { count } = await tx.signInChallenge.updateMany({
      where: { tokenHash: challenge.tokenHash, confirmedAt: null, pendingSecret: challenge.pendingSecret },
      data: { confirmedAt: new Date() },
    });
    if (count !== 1) throw new ActionError("This sign-in has expired. Sign in again.");
    await tx.staffTwoFactor.upsert({
      where: { staffId: user.id },
      create: { staffId: user.id, secret: challenge.pendingSecret!, enabledAt: new Date(), lastUsedStep: step },
      update: { secret: challenge.pendingSecret!, enabledAt: new Date(), lastUsedStep: step },
    });
    return storeRecoveryCodes(tx, user.id);
  });
  await audit({
    actor: { id: user.id, email: user.email },
    action: "account.two_factor_enrol",
    targetType: "staff",
    targetId: user.id,
    result: "ok",
    details: { ip, during: "sign_in" },
  });
  return { recoveryCodes };
}

// ── Status and admin reset ───────────────────────────────────────────────────────────────────────────────

export async function twoFactorStatus(staffId: string) {
  const row = await enabledTwoFactor(staffId);
  if (!row) return { enabled: false as const };
  const recoveryCodesLeft = await db().staffRecoveryCode.count({ where: { staffId, usedAt: null } });
  return { enabled: true as const, enabledAt: row.enabledAt!, recoveryCodesLeft };
}

/** Which of these staff members have TOTP on (the staff list's column). */
export async function staffWithTwoFactor(staffIds: string[]): Promise<Set<string>> {
  if (staffIds.length === 0) return new Set();
  const rows = await db().staffTwoFactor.findMany({
    where: { staffId: { in: staffIds }, enabledAt: { not: null } },
    select: { staffId: true },
  });
  return new Set(rows.map((row) => row.staffId));
}

/**
 * An admin removes a staff member's TOTP and recovery codes (a lost phone): their sessions end, and their next
 * sign-in asks for enrolment again where REQUIRE_2FA_FOR demands it.
 */
export async function resetTwoFactor(staffId: string): Promise<{ email: string; hadTwoFactor: boolean }> {
  return db().$transaction(async (tx) => {
    const user = await tx.staffUser.findUnique({ where: { id: staffId }, select: { email: true } });
    if (!user) throw new ActionError("This staff member no longer exists.");
    const { count } = await tx.staffTwoFactor.deleteMany({ where: { staffId } });
    await tx.staffRecoveryCode.deleteMany({ where: { staffId } });
    await tx.signInChallenge.deleteMany({ where: { staffId } });
    await tx.staffUser.update({ where: { id: staffId }, data: { sessionVersion: { increment: 1 } } });
    return { email: user.email, hadTwoFactor: count > 0 };
  });
}

// ── The member's own second factor (/account) ────────────────────────────────────────────────────────────

const THROTTLED_MESSAGE = "Too many failed attempts. Wait 15 minutes and try again, or ask an admin.";
const WRONG_PROOF = "That is neither the code your authenticator app shows now nor your password.";

type Member = { id: string; email: string; role: StaffRole };

/**
 * Checks what the member typed to prove it is them: a TOTP code, or (when `password` is allowed) their password.
 * Under the sign-in throttle: a wrong answer counts as a failed sign-in for the account and the IP, and a throttled
 * account is refused before anything is checked, so these forms cannot be used to guess around it.
 */
async function proveMember(member: Member, answer: string, ip: string, accept: "code" | "code_or_password") {
  const throttle = await checkThrottle(member.email, ip);
  if (throttle.throttled) throw new ActionError(THROTTLED_MESSAGE);
  const compact = answer.replace(/\s+/g, "");
  let proven = false;
  if (/^\d{6}$/.test(compact)) {
    proven = await acceptTotp(member.id, compact);
  } else if (accept === "code_or_password") {
    const user = await db().staffUser.findUnique({ where: { id: member.id }, select: { passwordHash: true } });
    proven = !!user && (await verifyPassword(user.passwordHash, answer));
  }
  if (!proven) {
    await recordLoginAttempt(member.email, ip, false);
    const message = accept === "code" ? WRONG_CODE : WRONG_PROOF;
    // A refusal, not a form mistake: audited by runAction, so repeated guesses show in the audit log.
    throw new ActionError(message, { fieldErrors: { [accept === "code" ? "code" : "proof"]: [message] } });
  }
}

/**
 * New recovery codes for a member with TOTP on: the old ten stop working, the new ten are answered once.
 * Needs the current TOTP code or the password.
 */
export async function regenerateRecoveryCodes(
  member: Member,
  proof: string,
  ip: string,
): Promise<{ recoveryCodes: string[] }> {
  if (!(await enabledTwoFactor(member.id))) throw new ActionError("Two-factor sign-in is not on for your account.");
  await proveMember(member, proof, ip, "code_or_password");
  const recoveryCodes = await db().$transaction((tx) => storeRecoveryCodes(tx, member.id));
  return { recoveryCodes };
}

/**
 * Turns the member's own TOTP off (needs the current code); refused where REQUIRE_2FA_FOR covers their role, since
 * their next sign-in would have to enrol again anyway.
 */
export async function disableOwnTwoFactor(member: Member, code: string, ip: string): Promise<{ staffId: string }> {
  if (twoFactorRequiredFor(member.role)) {
    throw new ActionError(
      "Two-factor sign-in is required for your role (REQUIRE_2FA_FOR), so it cannot be turned off. If you lost your phone, ask an admin to reset it.",
    );
  }
  if (!(await enabledTwoFactor(member.id))) throw new ActionError("Two-factor sign-in is already off.");
  await proveMember(member, code, ip, "code");
  await db().$transaction(async (tx) => {
    await tx.staffTwoFactor.deleteMany({ where: { staffId: member.id } });
    await tx.staffRecoveryCode.deleteMany({ where: { staffId: member.id } });
    await tx.signInChallenge.deleteMany({ where: { staffId: member.id } });
  });
  return { staffId: member.id };
}
