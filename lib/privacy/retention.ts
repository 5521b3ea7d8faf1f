import "server-only";
import { audit } from "../audit/audit";
import { db, getDatabase } from "../db";
import { registerJobHandler } from "../jobs/jobs";
import { eraseTraveler, LegalHoldError } from "./erasure";
import { isPseudonym, pseudonymFor } from "./pseudonym";

/**
 * Trip-tied retention (off by default): an admin sets N days on the travelers screen, and the daily "privacy" job
 * pseudonymises every traveler whose packages have all expired more than N days ago, skipping legal holds. Ids that
 * came back after their erasure (late webhooks; docs/decisions/0062) are pseudonymised again by the
 * "privacy-late-events" job every five minutes, over the last LATE_EVENT_RECENT_MS, and by the daily job over a week
 * (runs that were missed). Each erasure is audited as a system action.
 */
const RETENTION_KEY = "privacy.retentionDays";
export const RETENTION_DAY_CHOICES = [30, 90, 180, 365, 730] as const;
/** Erasures per run: each rewrites the tables once; the next day's run continues. */
export const RETENTION_BATCH = 200;
/** How far back the daily job looks for ids that came back after their erasure (a week of missed runs). */
const LATE_EVENT_WINDOW_MS = 7 * 86_400_000;
/** How far back the five-minute job looks: three of its runs, so a run that failed or came late is covered. */
export const LATE_EVENT_RECENT_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export async function retentionDays(): Promise<number | null> {
  const row = await db().consoleSetting.findUnique({ where: { key: RETENTION_KEY } });
  const value = row?.value;
  return typeof value === "number" && (RETENTION_DAY_CHOICES as readonly number[]).includes(value) ? value : null;
}

export async function setRetentionDays(
  days: number | null,
  actor: { id: string; email: string },
): Promise<{ before: number | null; after: number | null }> {
  const before = await retentionDays();
  const by = { updatedById: actor.id, updatedByEmail: actor.email };
  await db().consoleSetting.upsert({
    where: { key: RETENTION_KEY },
    create: { key: RETENTION_KEY, value: days ?? "off", ...by },
    update: { value: days ?? "off", ...by },
  });
  return { before, after: days };
}

/** Travelers due for pseudonymisation: every package expired before the cutoff, no legal hold, not yet erased. */
export async function travelersDue(now: Date, days: number, limit = RETENTION_BATCH): Promise<string[]> {
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const rows = await getDatabase().sql.query<{ id: string }>(
    `SELECT t."externalUserId" AS id FROM "Traveler" t
      WHERE t."externalUserId" NOT LIKE 'erased-%'
        AND NOT EXISTS (SELECT 1 FROM "TravelerLegalHold" h WHERE h."externalUserId" = t."externalUserId")
        AND EXISTS (SELECT 1 FROM "TravelerPackage" p WHERE p."externalUserId" = t."externalUserId")
        AND NOT EXISTS (SELECT 1 FROM "TravelerPackage" p WHERE p."externalUserId" = t."externalUserId"
                          AND (p."expiresAt" IS NULL OR p."expiresAt" > $1))
      ORDER BY t."externalUserId" LIMIT ${Math.trunc(limit)}`,
    [cutoff],
  );
  return rows.map((row) => row.id);
}

/** Ids seen within `windowMs` whose pseudonym has a tombstone: erased travelers a late webhook brought back. */
export async function erasedIdsSeenAgain(now: Date, windowMs = LATE_EVENT_WINDOW_MS): Promise<string[]> {
  const since = new Date(now.getTime() - windowMs);
  const { sql } = getDatabase();
  const [first] = await sql.query<{ at: Date | null }>(`SELECT min("erasedAt") AS at FROM "ErasedTraveler"`);
  if (!first?.at) return [];
  const from = new Date(Math.max(since.getTime(), new Date(first.at).getTime() - 60_000));
  const candidates = await sql.query<{ id: string }>(
    `SELECT "externalUserId" AS id FROM "Traveler" WHERE "lastSeenAt" >= $1
     UNION SELECT "externalUserId" FROM "WebhookEvent" WHERE "receivedAt" >= $1 AND "externalUserId" IS NOT NULL`,
    [from],
  );
  const ids = candidates.map((row) => row.id).filter((id) => !isPseudonym(id));
  if (ids.length === 0) return [];
  const byPseudonym = new Map(ids.map((id) => [pseudonymFor(id), id]));
  const erased = await db().erasedTraveler.findMany({
    where: { pseudonym: { in: [...byPseudonym.keys()] } },
    select: { pseudonym: true },
  });
  return erased.map((row) => byPseudonym.get(row.pseudonym)!);
}

export type PrivacyRunOutcome = { retention: number; lateEvents: number; skipped: number };

/** Erases one traveler as the system (audited under the pseudonym); false when it could not. */
async function eraseAsSystem(externalUserId: string, trigger: "retention" | "late_event"): Promise<boolean> {
  try {
    const result = await eraseTraveler(externalUserId, { trigger });
    // Never the id itself: the pseudonym stands for it.
    await audit({
      action: trigger === "retention" ? "privacy.retention_erase" : "privacy.late_event_erase",
      targetType: "traveler",
      targetId: result.pseudonym,
      externalUserId: result.pseudonym,
      result: "ok",
      details: { trigger, rewritten: result.rewritten },
    });
    return true;
  } catch (error) {
    // A legal hold is a refusal the jobs expect (an id that came back and was put under a hold, a hold set since the
    // retention query): the traveler is left as is and counted as skipped, without a log line on every five-minute
    // run while the id keeps arriving. Anything else is logged.
    if (!(error instanceof LegalHoldError)) {
      console.error(`[privacy] could not erase ${pseudonymFor(externalUserId)} (${trigger}):`, error);
    }
    return false;
  }
}

/** Erases again every erased traveler seen within `windowMs` (a late webhook brought the id back). */
export async function eraseLateArrivals(
  now = new Date(),
  windowMs = LATE_EVENT_RECENT_MS,
): Promise<Pick<PrivacyRunOutcome, "lateEvents" | "skipped">> {
  const outcome = { lateEvents: 0, skipped: 0 };
  for (const id of await erasedIdsSeenAgain(now, windowMs)) {
    if (await eraseAsSystem(id, "late_event")) outcome.lateEvents++;
    else outcome.skipped++;
  }
  return outcome;
}

/** One run of the daily job: late arrivals of the last week first (always), then the retention when it is on. */
export async function runPrivacyJob(now = new Date()): Promise<PrivacyRunOutcome> {
  const outcome: PrivacyRunOutcome = { retention: 0, ...(await eraseLateArrivals(now, LATE_EVENT_WINDOW_MS)) };
  const days = await retentionDays();
  if (days !== null) {
    for (const id of await travelersDue(now, days)) {
      if (await eraseAsSystem(id, "retention")) outcome.retention++;
      else outcome.skipped++;
    }
  }
  return outcome;
}

/** Registers the privacy jobs' handlers (instrumentation.ts). */
export function registerPrivacyJobs(): void {
  registerJobHandler("privacy", async ({ trigger }) => {
    const outcome = await runPrivacyJob();
    await audit({ action: "privacy.run", result: "ok", details: { ...outcome, trigger } });
  });
  // Every five minutes: each erasure it makes is audited on its own, so a run leaves no entry of its own (the jobs
  // screen counts the runs). An id under a legal hold is left as it is; the daily run counts it as skipped in its
  // entry.
  registerJobHandler("privacy-late-events", async () => {
    await eraseLateArrivals();
  });
}
