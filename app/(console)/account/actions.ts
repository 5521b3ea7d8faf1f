"use server";
import { runAction, type ActionResult } from "@/lib/actions";
import { changeOwnPasswordSchema } from "@/lib/staff/schemas";
import { changeOwnPassword } from "@/lib/staff/staff";

export async function changeOwnPasswordAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runAction(
    {
      action: "account.change_password",
      permission: "account.manage",
      schema: changeOwnPasswordSchema,
      run: async (input, { staff }) => {
        await changeOwnPassword(staff.id, input.currentPassword, input.newPassword);
        return staff.id;
      },
      audit: (staffId) => ({ targetType: "staff", targetId: staffId }),
      reply: () => null,
    },
    form,
  );
}
