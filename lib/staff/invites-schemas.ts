import { z } from "zod";
import { emailSchema, passwordSchema, roleSchema } from "./schemas";

export const inviteStaffSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "Enter a name.").max(120),
  role: roleSchema,
});

export const inviteIdSchema = z.object({ id: z.uuid("Unknown invitation.") });

export const acceptInviteSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: passwordSchema,
    confirmPassword: z.string().max(256),
  })
  .refine((value) => value.password === value.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords differ.",
  });

/** The member chooses a new password through a reset link: the same rules as an invite. */
export const completePasswordResetSchema = acceptInviteSchema;
