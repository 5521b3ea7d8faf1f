"use server";
import { runAction, type ActionResult } from "@/lib/actions";
import { changeRoleSchema, createStaffSchema, resetPasswordSchema, setDisabledSchema } from "@/lib/staff/schemas";
import { changeStaffRole, createStaff, resetStaffPassword, setStaffDisabled } from "@/lib/staff/staff";

type Reply = Promise<ActionResult<{ email: string }>>;
const staffScreen = { permission: "staff.manage", revalidate: ["/staff"] } as const;
const byId = (input: { id: string }) => ({ targetType: "staff", targetId: input.id });
const emailOnly = (changed: { email: string }) => ({ email: changed.email });

export async function createStaffAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.create",
      schema: createStaffSchema,
      run: (input) => createStaff(input),
      audit: (created) => ({
        targetType: "staff",
        targetId: created.id,
        details: { email: created.email, role: created.role },
      }),
      reply: emailOnly,
    },
    form,
  );
}

export async function changeRoleAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.change_role",
      schema: changeRoleSchema,
      subject: byId,
      run: (input) => changeStaffRole(input.id, input.role),
      audit: (change) => ({ details: change }),
      reply: emailOnly,
    },
    form,
  );
}

export async function setDisabledAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.set_disabled",
      schema: setDisabledSchema,
      subject: byId,
      run: (input, { staff }) => setStaffDisabled(input.id, input.disabled, staff.id),
      audit: (changed, input) => ({
        action: input.disabled ? "staff.disable" : "staff.enable",
        details: { email: changed.email },
      }),
      reply: emailOnly,
    },
    form,
  );
}

export async function resetPasswordAction(_prev: unknown, form: FormData): Reply {
  return runAction(
    {
      ...staffScreen,
      action: "staff.reset_password",
      schema: resetPasswordSchema,
      subject: byId,
      run: (input) => resetStaffPassword(input.id, input.password),
      audit: (changed) => ({ details: { email: changed.email } }),
      reply: emailOnly,
    },
    form,
  );
}
