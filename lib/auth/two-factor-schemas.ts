import { z } from "zod";

export const totpCodeSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."));

export const beginEnrolmentSchema = z.object({});
export const confirmEnrolmentSchema = z.object({ code: totpCodeSchema });

/** The enrolment step of a sign-in (app/login): the challenge the password step gave. */
export const challengeSchema = z.object({ challenge: z.string().min(20).max(200) });
export const challengeEnrolmentSchema = challengeSchema.extend({ code: totpCodeSchema });

/** The staff member an admin resets two-factor for. */
export const staffIdInputSchema = z.object({ id: z.uuid("Unknown staff member.") });

/** New recovery codes from /account: the current TOTP code or the password. */
export const regenerateRecoveryCodesSchema = z.object({
  // Not trimmed: a password may begin or end with a space.
  proof: z
    .string()
    .max(256)
    .refine((value) => value.trim() !== "", "Enter the code from your authenticator app, or your password."),
});
/** Turning one's own TOTP off from /account: the current code. */
export const disableTwoFactorSchema = z.object({ code: totpCodeSchema });
