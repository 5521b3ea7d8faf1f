import "server-only";
import { getDatabase } from "../db";
import { registerJobHandler } from "../jobs/jobs";
import { conditions, type Finding } from "./conditions";
import { deliver, type IncidentNotice, type NoticeKind } from "./notify";
import { alertRules, type AlertRuleKey } from "./rules";
import { ruleSettings } from "./settings";

/**
 * One evaluation of every rule (the `alerts-evaluate` job, every minute; "Evaluate now" on the rules screen).
 * Incidents, not storms: a finding opens an incident only when none is open for its rule and scope (the unique
 * index on ruleKey + openScope decides between instances evaluating at once), an open one reminds at most every
 * remindHours (a conditional UPDATE claims each reminder once) unless someone acknowledged it, and one that is no
 * longer found resolves once (the UPDATE that clears openScope claims it). Each claim is followed by its delivery.
 */

type IncidentRow = {
  id: string;
  ruleKey: AlertRuleKey;
  scope: string;
  title: string;
  summary: string;
  link: string;
  details: unknown;
};

const RETURNING = `RETURNING id::text AS id, "ruleKey", scope, title, summary, link, details`;

export type EvaluationOutcome = { opened: number; reminded: number; resolved: number; failedRules: AlertRuleKey[] };

export async function evaluateAlerts(options: { now?: Date } = {}): Promise<EvaluationOutcome> {
  const now = options.now ?? new Date();
  const { sql } = getDatabase();
  const outcome: EvaluationOutcome = { opened: 0, reminded: 0, resolved: 0, failedRules: [] };
  const notices: Array<{ row: IncidentRow; kind: NoticeKind }> = [];
  for (const settings of await ruleSettings()) {
    const key = settings.key;
    let findings: Finding[] = [];
    if (settings.enabled) {
      try {
        findings = await conditions[key](settings, now);
      } catch (error) {
        // One rule that cannot be read must not silence the others, nor resolve its own open incidents.
        console.error(`[alerts] rule ${key} could not be evaluated:`, error);
        outcome.failedRules.push(key);
        continue;
      }
    }
    const found = new Set<string>();
    for (const finding of findings) {
      if (found.has(finding.scope)) continue;
      found.add(finding.scope);
      const details = finding.details === undefined ? null : JSON.stringify(finding.details);
      const [opened] = await sql.query<IncidentRow>(
        `INSERT INTO "AlertIncident" ("ruleKey", scope, "openScope", title, summary, link, details, "openedAt",
           "lastSeenAt", "lastNotifiedAt")
         VALUES ($1, $2, $2, $3, $4, $5, $6::jsonb, $7, $7, $7)
         ON CONFLICT ("ruleKey", "openScope") DO NOTHING ${RETURNING}`,
        [key, finding.scope, finding.title, finding.summary, finding.link, details, now],
      );
      if (opened) {
        outcome.opened++;
        notices.push({ row: opened, kind: "opened" });
        continue;
      }
      // Still true: keep what it says current, and claim a reminder when one is due.
      await sql.query(
        `UPDATE "AlertIncident" SET title = $3, summary = $4, link = $5, details = $6::jsonb,
           "lastSeenAt" = GREATEST("lastSeenAt", $7)
         WHERE "ruleKey" = $1 AND "openScope" = $2`,
        [key, finding.scope, finding.title, finding.summary, finding.link, details, now],
      );
      const [reminder] = await sql.query<IncidentRow>(
        `UPDATE "AlertIncident" SET "lastNotifiedAt" = $3, reminders = reminders + 1
         WHERE "ruleKey" = $1 AND "openScope" = $2 AND "acknowledgedAt" IS NULL
           AND "lastNotifiedAt" <= $3::timestamptz - make_interval(secs => $4)
         ${RETURNING}`,
        [key, finding.scope, now, settings.remindHours * 3_600],
      );
      if (reminder) {
        outcome.reminded++;
        notices.push({ row: reminder, kind: "reminder" });
      }
    }
    const resolved = await sql.query<IncidentRow>(
      `UPDATE "AlertIncident" SET "openScope" = NULL, "resolvedAt" = $2
       WHERE "ruleKey" = $1 AND "openScope" IS NOT NULL AND NOT ("openScope" = ANY($3::text[]))
       ${RETURNING}`,
      [key, now, [...found]],
    );
    for (const row of resolved) {
      outcome.resolved++;
      // A rule switched off closes its incidents without a message: the admin who did it knows.
      if (settings.enabled && alertRules[key].notifyResolve) notices.push({ row, kind: "resolved" });
    }
  }
  for (const { row, kind } of notices) {
    const notice: IncidentNotice = { ...row };
    await deliver(notice, kind).catch((error: unknown) => {
      console.error(`[alerts] could not deliver incident ${row.id}:`, error);
    });
  }
  return outcome;
}

/** Registers the evaluation job's handler (instrumentation.ts). */
export function registerAlertJobs(): void {
  registerJobHandler("alerts-evaluate", async () => {
    const outcome = await evaluateAlerts();
    if (outcome.failedRules.length) {
      // Failing the job puts it on the Jobs screen; the rules that did work have already been applied.
      throw new Error(`These alert rules could not be evaluated: ${outcome.failedRules.join(", ")}`);
    }
  });
}
