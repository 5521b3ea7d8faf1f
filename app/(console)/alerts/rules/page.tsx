import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";
import { alertGroupLabels, alertRules, type AlertGroup } from "@/lib/alerts/rules";
import { chatWebhook, ruleSettings } from "@/lib/alerts/settings";
import { utcStamp } from "@/lib/format";
import { mailConfigured } from "@/lib/mail";
import { ListHeader } from "@/components/list/list-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ChatWebhookForm, EvaluateNowButton, RuleForm, TestChatButton } from "./rule-form";

export const metadata: Metadata = { title: "Alert rules" };

export default async function AlertRulesPage() {
  await requirePermission("alerts.manage");
  const [settings, chat] = await Promise.all([ruleSettings(), chatWebhook()]);
  const groups = Object.keys(alertGroupLabels) as AlertGroup[];
  return (
    <div className="flex flex-col gap-4">
      <ListHeader title="Alert rules">
        Evaluated every minute by the job system. An incident opens once per rule and scope, reminds at most at the
        interval below until someone acknowledges it, and says once when it is resolved.
      </ListHeader>
      <Card>
        <CardHeader>
          <CardTitle>Channels</CardTitle>
          <CardDescription>
            In the app: the bell and the Alerts page, always. Email:{" "}
            {mailConfigured()
              ? "on (SMTP_URL is set); each staff member chooses their rules on My account."
              : "off: SMTP_URL is not set, so alerts show in the app only."}
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {chat.fromEnv ? (
            <p className="text-sm">Chat: ALERT_CHAT_WEBHOOK_URL is set and is used (it wins over this screen).</p>
          ) : (
            <ChatWebhookForm url={chat.url ?? ""} />
          )}
          {chat.url && <TestChatButton />}
          <EvaluateNowButton />
        </CardContent>
      </Card>
      {groups.map((group) => (
        <Card key={group}>
          <CardHeader>
            <CardTitle>{alertGroupLabels[group]}</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-5">
            {settings
              .filter((rule) => alertRules[rule.key].group === group)
              .map((rule) => (
                <section key={rule.key} aria-label={alertRules[rule.key].label} className="flex flex-col gap-2">
                  <h3 className="text-sm font-medium">{alertRules[rule.key].label}</h3>
                  <RuleForm rule={alertRules[rule.key]} settings={rule} />
                  {rule.updatedAt && (
                    <p className="text-xs text-muted-foreground">
                      Changed {utcStamp(rule.updatedAt)} by {rule.updatedByEmail ?? "—"}
                    </p>
                  )}
                </section>
              ))}
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
