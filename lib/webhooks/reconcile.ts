import "server-only";
import { db, getDatabase } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { hubbyFor } from "../hubby";
import type { HubbyClient } from "../hubby/client";
import { registerJobHandler, sendJob } from "../jobs/jobs";
import type { UserDashboard } from "../hubby/schemas";
import type { Facts } from "./facts";
import { project } from "./projection";
import { diff, type FieldChange } from "./snapshot";

/**
 * "Refresh from Hubby": Hubby drops a webhook after three failed retries, so the console re-reads
 * `GET /api/native/user-dashboard` and folds what it says into the same projection, recording every change.
 * Dashboard facts carry the time of the read, so they win over older webhook facts but never lower usage.
 */

const CONCURRENCY = 4;

/** The eSIM state the console had stored before a dashboard read. */
export type PreviousEsim = { esimState: string | null; iccid: string | null } | null;

/**
 * What a dashboard says, as projection facts: the eSIM state and each package with its usage. A dashboard that
 * confirms the stored state (same eSIM, same state) is no transition: its eSIM fact is left out, so the time the
 * state was first seen (the Installed date lists show) is kept instead of becoming the time of the read.
 */
export function dashboardFacts(dashboard: UserDashboard, at: Date, previous: PreviousEsim): Facts[] {
  const externalUserId = dashboard.user.external_user_id;
  const facts: Facts[] = [];
  const esim = dashboard.current_esim;
  if (esim) {
    const onDevice = esim.status === "INSTALLED" || esim.status === "ENABLED";
    // RELEASED after having been installed means the profile was removed from the device.
    const state = onDevice ? "installed" : previous?.esimState === "installed" ? "removed" : null;
    const unchanged = state !== null && previous?.esimState === state && previous.iccid === esim.iccid;
    facts.push({
      at,
      eventType: "hubby.dashboard",
      externalUserId,
      bookingId: null,
      packageId: null,
      ...(state && !unchanged ? { esim: { iccid: esim.iccid, state } } : {}),
    });
  }
  for (const pkg of dashboard.current_esim_packages) {
    const id = typeof pkg.id === "string" ? pkg.id : null;
    if (!id) continue; // Hubby's documented package shape has no id; only identifiable packages can be merged.
    const total = typeof pkg.total_bytes === "number" ? pkg.total_bytes : null;
    const used = typeof pkg.used_bytes === "number" ? pkg.used_bytes : null;
    const percent = total && used !== null ? Math.min(100, Math.floor((used / total) * 100)) : 0;
    const date = (value: unknown) =>
      typeof value === "string" && !Number.isNaN(Date.parse(value)) ? new Date(value) : null;
    facts.push({
      at,
      eventType: "hubby.dashboard",
      externalUserId,
      bookingId: typeof pkg.booking_id === "string" ? pkg.booking_id : null,
      packageId: id,
      pkg: {
        destination: typeof pkg.destination === "string" ? pkg.destination : (pkg.destination_iso3 ?? null),
        size: typeof pkg.size === "string" ? pkg.size : null,
        packageType: typeof pkg.package_type === "string" ? pkg.package_type : null,
        activatedAt: date(pkg.date_activated),
        expiresAt: date(pkg.expires_at),
        durationDays: typeof pkg.allowance_days === "number" ? pkg.allowance_days : null,
        ...(percent > 0 && total !== null && used !== null
          ? {
              usage: {
                percent,
                usedBytes: BigInt(used),
                remainingBytes: BigInt(Math.max(0, total - used)),
                elapsedDays: null,
                remainingDays: null,
              },
            }
          : {}),
      },
    });
  }
  return facts;
}

async function travelerRows(tx: Prisma.TransactionClient, externalUserId: string) {
  const rows = new Map<string, Record<string, unknown>>();
  const traveler = await tx.traveler.findUnique({ where: { externalUserId } });
  if (traveler) rows.set(`Traveler ${externalUserId}`, traveler);
  for (const pkg of await tx.travelerPackage.findMany({ where: { externalUserId } })) {
    rows.set(`TravelerPackage ${pkg.packageId}`, pkg);
  }
  return rows;
}

/** Refreshes one traveler; returns the fields that changed. Throws HubbyApiError when Hubby cannot answer. */
export async function refreshTraveler(hubby: HubbyClient, externalUserId: string): Promise<FieldChange[]> {
  const dashboard = await hubby.getUserDashboard(externalUserId);
  const at = new Date();
  return db().$transaction(async (tx) => {
    const before = await travelerRows(tx, externalUserId);
    const previous = await tx.traveler.findUnique({
      where: { externalUserId },
      select: { esimState: true, iccid: true },
    });
    for (const facts of dashboardFacts(dashboard, at, previous)) {
      await project((text, values) => tx.$executeRawUnsafe(text, ...values), facts);
    }
    const after = await travelerRows(tx, externalUserId);
    // Times that only record "seen at" move on every read; they are not news.
    return diff(before, after).filter(
      (change) => !["lastSeenAt", "lastEventAt", "lastEventType", "esimStateAt"].includes(change.field),
    );
  });
}

/** Travelers with a package that is activated, not expired and not used up. */
export async function travelersWithActivePackages(now = new Date()): Promise<string[]> {
  const rows = await db().travelerPackage.findMany({
    where: { activatedAt: { not: null }, expiresAt: { gt: now }, usagePercent: { lt: 100 } },
    distinct: ["externalUserId"],
    select: { externalUserId: true },
  });
  return rows.map((row) => row.externalUserId);
}

export type RunStarter = { id: string; email: string };

/**
 * Creates a run with its travelers and queues the job that reads them ("traveler-refresh-run"), in one
 * transaction: the job exists exactly when the run does. A run of all active travelers while one is running
 * answers that run. The caller returns at once with the run id.
 */
export async function startReconciliation(
  starter: RunStarter,
  scope: { kind: "all_active" } | { kind: "traveler"; externalUserId: string },
): Promise<string> {
  if (scope.kind === "all_active") {
    const running = await db().reconciliationRun.findFirst({
      where: { status: "running", scope: "all_active" },
      select: { id: true },
    });
    if (running) return String(running.id);
  }
  const targets = scope.kind === "traveler" ? [scope.externalUserId] : await travelersWithActivePackages();
  return getDatabase().transaction(async (tx) => {
    const [run] = await tx.query<{ id: string }>(
      `INSERT INTO "ReconciliationRun" (status, scope, "externalUserId", total, "startedById", "startedByEmail", "updatedAt")
       VALUES ('running', $1, $2, $3, $4::uuid, $5, now()) RETURNING id::text AS id`,
      [scope.kind, scope.kind === "traveler" ? scope.externalUserId : null, targets.length, starter.id, starter.email],
    );
    const runId = run!.id;
    if (targets.length > 0) {
      await tx.query(
        `INSERT INTO "ReconciliationTarget" ("runId", "externalUserId") SELECT $1::bigint, unnest($2::text[])`,
        [runId, targets],
      );
    }
    await sendJob("traveler-refresh-run", { runId }, { transaction: tx });
    return runId;
  });
}

/** Waits up to `timeoutMs` for a run to leave "running" (a one-traveler refresh, which staff wait for). */
export async function waitForReconciliation(runId: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await db().reconciliationRun.findUnique({ where: { id: BigInt(runId) }, select: { status: true } });
    if (!run || run.status !== "running") return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Records one traveler read: its changes, the target done and the run's counters, together. */
async function recordTarget(runId: bigint, externalUserId: string, changes: FieldChange[], failed: boolean) {
  await db().$transaction(async (tx) => {
    if (changes.length) {
      await tx.reconciliationChange.createMany({
        data: changes.map((change) => ({
          runId,
          externalUserId,
          record: `${change.table} ${change.key}`,
          field: change.field,
          before: change.before,
          after: change.after,
        })),
      });
    }
    await tx.reconciliationTarget.update({
      where: { runId_externalUserId: { runId, externalUserId } },
      data: { doneAt: new Date() },
    });
    await tx.reconciliationRun.update({
      where: { id: runId },
      data: {
        done: { increment: 1 },
        ...(changes.length ? { changed: { increment: 1 } } : {}),
        ...(failed ? { failed: { increment: 1 } } : {}),
      },
    });
  });
}

/**
 * The job: reads the run's travelers not read yet, CONCURRENCY at a time. A run resumed after a crash or a stop
 * (its job tried again) goes on where it stopped; a traveler read but not yet recorded is read again, which
 * changes nothing the second time. A traveler Hubby cannot answer counts as failed; the run goes on.
 */
export async function workReconciliationRun(runId: bigint, hubby?: HubbyClient): Promise<void> {
  const run = await db().reconciliationRun.findUnique({ where: { id: runId } });
  if (!run || run.status !== "running") return;
  const client =
    hubby ??
    (await hubbyFor(run.startedById ? { id: run.startedById, email: run.startedByEmail ?? "" } : null)).withContext({
      background: true,
    });
  const pending = await db().reconciliationTarget.findMany({
    where: { runId, doneAt: null },
    orderBy: { externalUserId: "asc" },
    select: { externalUserId: true },
  });
  let next = 0;
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, pending.length) }, async () => {
      while (next < pending.length) {
        const { externalUserId } = pending[next++]!;
        let changes: FieldChange[] = [];
        let failed = false;
        try {
          changes = await refreshTraveler(client, externalUserId);
        } catch (error) {
          failed = true;
          errors.push(`${externalUserId}: ${error instanceof Error ? error.message : String(error)}`);
        }
        await recordTarget(runId, externalUserId, changes, failed);
      }
    }),
  );
  const previousErrors = run.error ? [run.error] : [];
  await db().reconciliationRun.update({
    where: { id: runId },
    data: {
      status: "done",
      finishedAt: new Date(),
      error: [...previousErrors, ...errors].slice(0, 5).join("\n").slice(0, 2_000) || null,
    },
  });
}

/** Registers the "traveler-refresh-run" job's handler (instrumentation.ts). */
export function registerReconciliationJobs(): void {
  registerJobHandler("traveler-refresh-run", async ({ runId }, job) => {
    try {
      await workReconciliationRun(BigInt(runId));
    } catch (error) {
      console.error(`[reconcile] run ${runId} failed (attempt ${job.attempt}):`, error);
      // Tried again by the job system; after the last attempt the run says so instead of staying "running".
      if (job.lastAttempt) {
        await db()
          .reconciliationRun.update({
            where: { id: BigInt(runId) },
            data: {
              status: "failed",
              finishedAt: new Date(),
              error: error instanceof Error ? error.message.slice(0, 2_000) : "failed",
            },
          })
          .catch(() => undefined);
      }
      throw error;
    }
  });
}

/** The latest run with its changes, for the panel. */
export async function latestReconciliation(externalUserId?: string) {
  const run = await db().reconciliationRun.findFirst({
    where: externalUserId ? { scope: "traveler", externalUserId } : {},
    orderBy: { id: "desc" },
    include: { changes: { take: 100, orderBy: { id: "asc" } } },
  });
  if (!run) return null;
  return {
    id: String(run.id),
    status: run.status,
    scope: run.scope,
    externalUserId: run.externalUserId,
    total: run.total,
    done: run.done,
    changed: run.changed,
    failed: run.failed,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    startedByEmail: run.startedByEmail,
    error: run.error,
    changes: run.changes.map((change) => ({
      id: String(change.id),
      externalUserId: change.externalUserId,
      record: change.record,
      field: change.field,
      before: change.before,
      after: change.after,
    })),
  };
}
export type ReconciliationView = NonNullable<Awaited<ReturnType<typeof latestReconciliation>>>;

/** Stores what a live dashboard read says (a traveler Hubby knows but no webhook has mentioned yet). */
export async function rememberDashboard(dashboard: UserDashboard): Promise<void> {
  const externalUserId = dashboard.user.external_user_id;
  await db().$transaction(async (tx) => {
    const previous = await tx.traveler.findUnique({
      where: { externalUserId },
      select: { esimState: true, iccid: true },
    });
    const facts = dashboardFacts(dashboard, new Date(), previous);
    if (facts.length === 0) {
      facts.push({ at: new Date(), eventType: "hubby.dashboard", externalUserId, bookingId: null, packageId: null });
    }
    for (const fact of facts) await project((text, values) => tx.$executeRawUnsafe(text, ...values), fact);
  });
}
