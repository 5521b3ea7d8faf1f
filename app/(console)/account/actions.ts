"use server";
import { formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { changeOwnPasswordSchema } from "@/lib/staff/schemas";
import { changeOwnPassword } from "@/lib/staff/staff";

export async function changeOwnPasswordAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runAction(
    {
      action: "account.change_password",
      roles: rolesFor("account.manage"),
      schema: changeOwnPasswordSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      await changeOwnPassword(staff.id, input.currentPassword, input.newPassword);
      await audit({
        actor: staff,
        action: "account.change_password",
        targetType: "staff",
        targetId: staff.id,
        result: "ok",
        requestId,
      });
      return null;
    },
  );
}
