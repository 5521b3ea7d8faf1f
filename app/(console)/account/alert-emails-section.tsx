import { subscriptionsFor } from "@/lib/alerts/incidents";
import type { CurrentStaff } from "@/lib/auth/staff";
import { mailConfigured } from "@/lib/mail";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { AlertEmailsForm } from "./alert-emails-form";

/** The account page's "Alert emails": which rules reach this staff member by email (the bell shows them all). */
export async function AlertEmailsSection({ staff }: { staff: CurrentStaff }) {
  const subscriptions = await subscriptionsFor(staff);
  return (
    <Card id="alert-emails">
      <CardHeader>
        <CardTitle>Alert emails</CardTitle>
        <CardDescription>
          Every alert shows under the bell; the ones checked here also reach you by email at {staff.email}.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <AlertEmailsForm subscriptions={subscriptions} mail={mailConfigured()} />
      </CardContent>
    </Card>
  );
}
