import "server-only";
import { deleteResolvedIncidentsBefore } from "../alerts/incidents";
import { audit } from "../audit/audit";
import { deleteExpiredLoginAttempts } from "../auth/throttle";
import { getDatabase } from "../db";
import { getEnv } from "../env";
import { registerJobHandler } from "../jobs/jobs";
import { refreshExpiredUsage } from "../travelers/current-usage";

/**
 * The hourly "maintenance" job (lib/jobs/queues.ts): deletes sign-in attempts that no longer count towards the
 * throttle, Hubby API log rows older than API_LOG_RETENTION_DAYS and alert incidents resolved more than
 * ALERT_INCIDENT_RETENTION_DAYS ago, and recomputes the travelers list's maintained usage of travelers whose
 * package expired since (lib/travelers/current-usage.ts). Once an hour across all instances.
 */

/** Rows deleted per statement, so one run never holds a long lock on a large API log. */
const DELETE_BATCH = 5_000;

/** Deletes API log rows older than the cutoff, in batches; answers how many. */
export async function deleteApiCallsBefore(cutoff: Date): Promise<number> {
  const { sql } = getDatabase();
  let deleted = 0;
  for (;;) {
    const rows = await sql.query<{ id: string }>(
      `DELETE FROM "ApiCall" WHERE id IN (SELECT id FROM "ApiCall" WHERE at < $1 ORDER BY id LIMIT ${DELETE_BATCH})
       RETURNING id`,
      [cutoff],
    );
    deleted += rows.length;
    if (rows.length < DELETE_BATCH) return deleted;
  }
}

export type MaintenanceOutcome = {
  loginAttempts: number;
  apiCalls: number;
  alertIncidents: number;
  /** Travelers whose stored usage was recomputed because a package expired (not a privileged change). */
  expiredUsage: number;
};

const DAY_MS = 24 * 3_600_000;

export async function runMaintenance(now = new Date()): Promise<MaintenanceOutcome> {
  const env = getEnv();
  const loginAttempts = await deleteExpiredLoginAttempts(now);
  const apiCalls = await deleteApiCallsBefore(new Date(now.getTime() - env.API_LOG_RETENTION_DAYS * DAY_MS));
  const alertIncidents = await deleteResolvedIncidentsBefore(
    new Date(now.getTime() - env.ALERT_INCIDENT_RETENTION_DAYS * DAY_MS),
  );
  const expiredUsage = await refreshExpiredUsage(now);
  return { loginAttempts, apiCalls, alertIncidents, expiredUsage };
}

/** Registers the maintenance job's handler (instrumentation.ts). */
export function registerMaintenanceJobs(): void {
  registerJobHandler("maintenance", async ({ trigger }) => {
    const outcome = await runMaintenance();
    if (outcome.loginAttempts > 0 || outcome.apiCalls > 0 || outcome.alertIncidents > 0) {
      await audit({ action: "maintenance.run", result: "ok", details: { ...outcome, trigger } });
    }
  });
}
