import "server-only";
import { z } from "zod";
import { may, type Asker } from "../auth/roles";
import { db, getDatabase } from "../db";
import { ActionError } from "../errors";
import { pageParam, readListPage } from "../list-query";
import type { Prisma } from "../generated/prisma/client";
import { alertRuleKeys, alertRules, roleEmailDefaults, type AlertRuleKey } from "./rules";

/** The incidents as staff see them: the incidents page, the bell, the webhook inbox's banner, acknowledging. */

export const INCIDENT_PAGE_SIZE = 50;
export const incidentStates = ["open", "acknowledged", "resolved"] as const;
export const incidentStateLabels: Record<(typeof incidentStates)[number], string> = {
  open: "Open, not acknowledged",
  acknowledged: "Acknowledged, still open",
  resolved: "Resolved",
};

/** /alerts URL state; every field falls back to its default, so a hand-edited URL never errors. */
export const incidentQuerySchema = z.object({
  state: z.enum(["all", ...incidentStates]).catch("all"),
  rule: z.enum(["all", ...alertRuleKeys]).catch("all"),
  incident: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .catch(undefined),
  page: pageParam(),
});
export type IncidentQuery = z.infer<typeof incidentQuerySchema>;

/** The rules whose incidents this staff member sees: those linking to a screen the role may open. */
export function visibleRuleKeys(asker: Asker): AlertRuleKey[] {
  return alertRuleKeys.filter((key) => may(asker, alertRules[key].permission));
}

function incidentWhere(asker: Asker, query: Omit<IncidentQuery, "page">): Prisma.AlertIncidentWhereInput {
  const rules = visibleRuleKeys(asker).filter((key) => query.rule === "all" || key === query.rule);
  return {
    ruleKey: { in: rules },
    ...(query.incident ? { id: BigInt(query.incident) } : {}),
    ...(query.state === "open" ? { resolvedAt: null, acknowledgedAt: null } : {}),
    ...(query.state === "acknowledged" ? { resolvedAt: null, acknowledgedAt: { not: null } } : {}),
    ...(query.state === "resolved" ? { resolvedAt: { not: null } } : {}),
  };
}

export type IncidentRow = {
  id: string;
  ruleKey: AlertRuleKey;
  ruleLabel: string;
  title: string;
  summary: string;
  link: string;
  openedAt: Date;
  lastSeenAt: Date;
  reminders: number;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  deliveryError: string | null;
};

export async function listIncidents(asker: Asker, query: IncidentQuery) {
  const where = incidentWhere(asker, query);
  return readListPage(
    { page: query.page, pageSize: INCIDENT_PAGE_SIZE },
    {
      rows: async (window) => {
        const rows = await db().alertIncident.findMany({
          where,
          // Open ones first, newest first.
          orderBy: [{ resolvedAt: { sort: "desc", nulls: "first" } }, { openedAt: "desc" }, { id: "desc" }],
          ...window,
        });
        return rows.map((row): IncidentRow => ({
          id: row.id.toString(),
          ruleKey: row.ruleKey as AlertRuleKey,
          ruleLabel: alertRules[row.ruleKey as AlertRuleKey]?.label ?? row.ruleKey,
          title: row.title,
          summary: row.summary,
          link: row.link,
          openedAt: row.openedAt,
          lastSeenAt: row.lastSeenAt,
          reminders: row.reminders,
          resolvedAt: row.resolvedAt,
          acknowledgedAt: row.acknowledgedAt,
          acknowledgedBy: row.acknowledgedByName
            ? `${row.acknowledgedByName} (${row.acknowledgedByEmail})`
            : row.acknowledgedByEmail,
          deliveryError: row.deliveryError,
        }));
      },
      total: () => db().alertIncident.count({ where }),
    },
  );
}

/** The bell: open incidents this staff member may see, opened since they last opened the incidents page. */
export async function unreadIncidentCount(asker: Asker & { id: string }): Promise<number> {
  const mark = await db().alertReadMark.findUnique({ where: { staffId: asker.id } });
  return db().alertIncident.count({
    where: {
      ruleKey: { in: visibleRuleKeys(asker) },
      resolvedAt: null,
      ...(mark ? { openedAt: { gt: mark.seenAt } } : {}),
    },
  });
}

/** Opening the incidents page reads everything it lists: the bell starts counting from now. */
export async function markIncidentsSeen(staffId: string, now = new Date()): Promise<void> {
  await db().alertReadMark.upsert({
    where: { staffId },
    create: { staffId, seenAt: now },
    update: { seenAt: now },
  });
}

/** The open incidents of some rules (the webhook inbox's banner and health panel). */
export async function openIncidents(ruleKeys: readonly AlertRuleKey[]) {
  const rows = await db().alertIncident.findMany({
    where: { ruleKey: { in: [...ruleKeys] }, resolvedAt: null },
    orderBy: { openedAt: "asc" },
    select: {
      id: true,
      ruleKey: true,
      title: true,
      summary: true,
      openedAt: true,
      acknowledgedAt: true,
      acknowledgedByName: true,
      acknowledgedByEmail: true,
    },
  });
  return rows.map((row) => ({ ...row, id: row.id.toString(), ruleKey: row.ruleKey as AlertRuleKey }));
}

/** Rows deleted per statement, so one maintenance run never holds a long lock. */
const DELETE_BATCH = 5_000;

/**
 * Deletes incidents resolved before the cutoff (the maintenance job, ALERT_INCIDENT_RETENTION_DAYS); answers how
 * many. Open and acknowledged-but-open incidents stay whatever their age. An incident is its own notification
 * record (reminders, delivery error, who acknowledged), and the bell's read marks are per staff member, not per
 * incident, so nothing else refers to it.
 */
export async function deleteResolvedIncidentsBefore(cutoff: Date): Promise<number> {
  const { sql } = getDatabase();
  let deleted = 0;
  for (;;) {
    const rows = await sql.query<{ id: string }>(
      `DELETE FROM "AlertIncident" WHERE id IN (
         SELECT id FROM "AlertIncident" WHERE "resolvedAt" < $1 ORDER BY id LIMIT ${DELETE_BATCH})
       RETURNING id`,
      [cutoff],
    );
    deleted += rows.length;
    if (rows.length < DELETE_BATCH) return deleted;
  }
}

export const acknowledgeSchema = z.object({ id: z.string().regex(/^\d{1,18}$/, "Not an incident id.") });

/** "I am on it": records who, once. Reminders stop; the incident still resolves on its own. */
export async function acknowledgeIncident(
  id: string,
  staff: Asker & { id: string; email: string; name: string },
  now = new Date(),
) {
  const incident = await db().alertIncident.findUnique({ where: { id: BigInt(id) } });
  if (!incident || !visibleRuleKeys(staff).includes(incident.ruleKey as AlertRuleKey)) {
    throw new ActionError("This incident does not exist.");
  }
  const { count } = await db().alertIncident.updateMany({
    where: { id: incident.id, acknowledgedAt: null },
    data: {
      acknowledgedAt: now,
      acknowledgedById: staff.id,
      acknowledgedByEmail: staff.email,
      acknowledgedByName: staff.name,
    },
  });
  if (count === 0) {
    const current = await db().alertIncident.findUnique({ where: { id: incident.id } });
    throw new ActionError(
      `Already acknowledged by ${current?.acknowledgedByName ?? current?.acknowledgedByEmail ?? "someone else"}.`,
    );
  }
  return { id, ruleKey: incident.ruleKey, title: incident.title };
}

// ── Subscriptions ────────────────────────────────────────────────────────────────────────────────────────────

export type SubscriptionView = { key: AlertRuleKey; label: string; email: boolean; roleDefault: boolean };

/** Each rule this staff member may see, and whether its email reaches them (their choice, else the role's default). */
export async function subscriptionsFor(staff: Asker & { id: string }): Promise<SubscriptionView[]> {
  const choices = await db().alertSubscription.findMany({ where: { staffId: staff.id } });
  const chosen = new Map(choices.map((choice) => [choice.ruleKey, choice.email]));
  return visibleRuleKeys(staff).map((key) => {
    const roleDefault = roleEmailDefaults[staff.role].includes(key);
    return { key, label: alertRules[key].label, email: chosen.get(key) ?? roleDefault, roleDefault };
  });
}

export const subscriptionsSchema = z.object({
  rules: z
    .preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(z.enum(alertRuleKeys, { message: "Unknown rule." })),
    )
    .default([]),
});

/** Stores a choice for every visible rule, so a later change of the role's defaults does not override it. */
export async function saveSubscriptions(staff: Asker & { id: string }, emailRules: readonly AlertRuleKey[]) {
  const visible = visibleRuleKeys(staff);
  const refused = emailRules.filter((key) => !visible.includes(key));
  if (refused.length) throw new ActionError("Your role does not see some of these alerts.");
  await db().$transaction([
    db().alertSubscription.deleteMany({ where: { staffId: staff.id } }),
    db().alertSubscription.createMany({
      data: visible.map((ruleKey) => ({ staffId: staff.id, ruleKey, email: emailRules.includes(ruleKey) })),
    }),
  ]);
  return { emailRules: visible.filter((key) => emailRules.includes(key)) };
}
