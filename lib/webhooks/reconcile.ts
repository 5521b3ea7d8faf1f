import "server-only";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { HubbyClient } from "../hubby/client";
import type { UserDashboard } from "../hubby/schemas";
import type { Facts } from "./facts";
import { project } from "./projection";
import { diff, type FieldChange } from "./snapshot";

/**
 * "Refresh from Hubby": Hubby drops a webhook after three failed retries, so the console re-reads
 * `GET /api/native/user-dashboard` and folds what it says into the same projection, recording every change.
 * Dashboard facts carry the time of the read, so they win over older webhook facts but never lower usage.
 */

const STALE_AFTER_MS = 5 * 60_000;
const CONCURRENCY = 4;

/** What a dashboard says, as projection facts: the eSIM state and each package with its usage. */
export function dashboardFacts(dashboard: UserDashboard, at: Date, previousState: string | null): Facts[] {
  const externalUserId = dashboard.user.external_user_id;
  const facts: Facts[] = [];
  const esim = dashboard.current_esim;
  if (esim) {
    const onDevice = esim.status === "INSTALLED" || esim.status === "ENABLED";
    // RELEASED after having been installed means the profile was removed from the device.
    const state = onDevice ? "installed" : previousState === "installed" ? "removed" : null;
    facts.push({
      at,
      eventType: "hubby.dashboard",
      externalUserId,
      bookingId: null,
      packageId: null,
      ...(state ? { esim: { iccid: esim.iccid, state } } : {}),
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
    const previous = await tx.traveler.findUnique({ where: { externalUserId }, select: { esimState: true } });
    for (const facts of dashboardFacts(dashboard, at, previous?.esimState ?? null)) {
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

/** Creates a run and works through it in the background; the caller returns at once with the run id. */
export async function startReconciliation(
  hubby: HubbyClient,
  starter: RunStarter,
  scope: { kind: "all_active" } | { kind: "traveler"; externalUserId: string },
): Promise<string> {
  const running = await db().reconciliationRun.findFirst({
    where: { status: "running", updatedAt: { gt: new Date(Date.now() - STALE_AFTER_MS) } },
    select: { id: true },
  });
  if (running && scope.kind === "all_active") return String(running.id);
  const targets = scope.kind === "traveler" ? [scope.externalUserId] : await travelersWithActivePackages();
  const run = await db().reconciliationRun.create({
    data: {
      status: "running",
      scope: scope.kind,
      externalUserId: scope.kind === "traveler" ? scope.externalUserId : null,
      total: targets.length,
      startedById: starter.id,
      startedByEmail: starter.email,
    },
  });
  const work = runReconciliation(hubby, run.id, targets);
  if (scope.kind === "traveler") await work;
  else void work;
  return String(run.id);
}

async function runReconciliation(hubby: HubbyClient, runId: bigint, targets: string[]) {
  let next = 0;
  const errors: string[] = [];
  try {
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, targets.length) }, async () => {
        while (next < targets.length) {
          const externalUserId = targets[next++]!;
          let changes: FieldChange[] = [];
          let failed = false;
          try {
            changes = await refreshTraveler(hubby, externalUserId);
          } catch (error) {
            failed = true;
            errors.push(`${externalUserId}: ${error instanceof Error ? error.message : String(error)}`);
          }
          if (changes.length) {
            await db().reconciliationChange.createMany({
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
          await db().reconciliationRun.update({
            where: { id: runId },
            data: {
              done: { increment: 1 },
              ...(changes.length ? { changed: { increment: 1 } } : {}),
              ...(failed ? { failed: { increment: 1 } } : {}),
            },
          });
        }
      }),
    );
    await db().reconciliationRun.update({
      where: { id: runId },
      data: { status: "done", finishedAt: new Date(), error: errors.slice(0, 5).join("\n").slice(0, 2_000) || null },
    });
  } catch (error) {
    console.error(`[reconcile] run ${runId} failed:`, error);
    await db()
      .reconciliationRun.update({
        where: { id: runId },
        data: {
          status: "failed",
          finishedAt: new Date(),
          error: error instanceof Error ? error.message.slice(0, 2_000) : "failed",
        },
      })
      .catch(() => undefined);
  }
}

/** The latest runs with their changes, for the panel; a run with no progress for 5 minutes was interrupted. */
export async function latestReconciliation(externalUserId?: string) {
  const run = await db().reconciliationRun.findFirst({
    where: externalUserId ? { scope: "traveler", externalUserId } : {},
    orderBy: { id: "desc" },
    include: { changes: { take: 100, orderBy: { id: "asc" } } },
  });
  if (!run) return null;
  const interrupted = run.status === "running" && run.updatedAt.getTime() < Date.now() - STALE_AFTER_MS;
  return {
    id: String(run.id),
    status: interrupted ? "interrupted" : run.status,
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
    const previous = await tx.traveler.findUnique({ where: { externalUserId }, select: { esimState: true } });
    const facts = dashboardFacts(dashboard, new Date(), previous?.esimState ?? null);
    if (facts.length === 0) {
      facts.push({ at: new Date(), eventType: "hubby.dashboard", externalUserId, bookingId: null, packageId: null });
    }
    for (const fact of facts) await project((text, values) => tx.$executeRawUnsafe(text, ...values), fact);
  });
}
