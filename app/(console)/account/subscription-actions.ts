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
      run: (input, { staff }) => saveSubscriptions(staff, input.rules),
      subject: () => ({ targetType: "staff" }),
      audit: (result) => ({ details: { emailRules: result.emailRules } }),
      revalidate: ["/account"],
    },
    form,
  );
}
