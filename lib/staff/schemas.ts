import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "../auth/password-policy";
import { staffRoles } from "../auth/roles";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address."))
  .pipe(z.string().max(320));
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(256, "Use at most 256 characters.");
export const roleSchema = z.enum(staffRoles, "Choose a role.");
export const staffIdSchema = z.uuid("Unknown staff member.");

export const staffNameSchema = z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters.");

export const createStaffSchema = z.object({
  email: emailSchema,
  name: staffNameSchema,
  role: roleSchema,
  password: passwordSchema,
});

export const changeRoleSchema = z.object({ id: staffIdSchema, role: roleSchema });
export const renameStaffSchema = z.object({ id: staffIdSchema, name: staffNameSchema });
export const setDisabledSchema = z.object({
  id: staffIdSchema,
  disabled: z.enum(["true", "false"]).transform((v) => v === "true"),
});
export const changeOwnPasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password."), newPassword: passwordSchema })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one.",
  });

export const staffListQuerySchema = z.object({
  q: z.string().trim().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  sort: z.enum(["name", "-name", "email", "-email", "role", "-role", "lastLoginAt", "-lastLoginAt"]).catch("name"),
  status: z.enum(["all", "active", "disabled"]).catch("all"),
});
export type StaffListQuery = z.infer<typeof staffListQuerySchema>;
