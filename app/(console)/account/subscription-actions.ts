"use server";
import { runAction, type ActionResult } from "@/lib/actions";
import { saveSubscriptions, subscriptionsSchema } from "@/lib/alerts/incidents";

/** A staff member's choice of the alert rules that reach them by email. */
export async function saveAlertEmailsAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ emailRules: string[] }>> {
  return runAction(
    {
      action: "account.alert_emails",
      permission: "alerts.view",
      schema: subscriptionsSchema,
      run: async (input, { staff }) => ({ staffId: staff.id, ...(await saveSubscriptions(staff, input.rules)) }),
      audit: ({ staffId, emailRules }) => ({ targetType: "staff", targetId: staffId, details: { emailRules } }),
      reply: ({ emailRules }) => ({ emailRules }),
      revalidate: ["/account"],
    },
    form,
  );
}
