"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { changeRoleSchema, createStaffSchema, resetPasswordSchema, setDisabledSchema } from "@/lib/staff/schemas";
import { changeStaffRole, createStaff, resetStaffPassword, setStaffDisabled } from "@/lib/staff/staff";

const roles = rolesFor("staff.manage");

export async function createStaffAction(_prev: unknown, form: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction(
    { action: "staff.create", roles, schema: createStaffSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const created = await createStaff(input);
      await audit({
        actor: staff,
        action: "staff.create",
        targetType: "staff",
        targetId: created.id,
        result: "ok",
        details: { email: created.email, role: created.role },
        requestId,
      });
      revalidatePath("/staff");
      return { email: created.email };
    },
  );
}

export async function changeRoleAction(_prev: unknown, form: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction(
    { action: "staff.change_role", roles, schema: changeRoleSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const change = await changeStaffRole(input.id, input.role);
      await audit({
        actor: staff,
        action: "staff.change_role",
        targetType: "staff",
        targetId: input.id,
        result: "ok",
        details: change,
        requestId,
      });
      revalidatePath("/staff");
      return { email: change.email };
    },
  );
}

export async function setDisabledAction(_prev: unknown, form: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction(
    { action: "staff.set_disabled", roles, schema: setDisabledSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const changed = await setStaffDisabled(input.id, input.disabled, staff.id);
      await audit({
        actor: staff,
        action: input.disabled ? "staff.disable" : "staff.enable",
        targetType: "staff",
        targetId: input.id,
        result: "ok",
        details: { email: changed.email },
        requestId,
      });
      revalidatePath("/staff");
      return { email: changed.email };
    },
  );
}

export async function resetPasswordAction(_prev: unknown, form: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction(
    { action: "staff.reset_password", roles, schema: resetPasswordSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const changed = await resetStaffPassword(input.id, input.password);
      await audit({
        actor: staff,
        action: "staff.reset_password",
        targetType: "staff",
        targetId: input.id,
        result: "ok",
        details: { email: changed.email },
        requestId,
      });
      revalidatePath("/staff");
      return { email: changed.email };
    },
  );
}
