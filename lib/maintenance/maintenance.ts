import "server-only";
import { deleteResolvedIncidentsBefore } from "../alerts/incidents";
import { audit } from "../audit/audit";
import { deleteExpiredLoginAttempts } from "../auth/throttle";
import { getEnv } from "../env";
import { registerJobHandler } from "../jobs/jobs";
import { refreshExpiredUsage } from "../travelers/current-usage";

/**
 * The hourly "maintenance" job (lib/jobs/queues.ts): deletes sign-in attempts that no longer count towards the
 * throttle and alert incidents resolved more than ALERT_INCIDENT_RETENTION_DAYS ago, and recomputes the travelers list's maintained usage of travelers whose
 * package expired since (lib/travelers/current-usage.ts). Once an hour across all instances. The Hubby API log is
 * trimmed by the daily retention job (lib/retention/), to the days set on /retention.
 */

export type MaintenanceOutcome = {
  loginAttempts: number;
  alertIncidents: number;
  /** Travelers whose stored usage was recomputed because a package expired (not a privileged change). */
  expiredUsage: number;
};

const DAY_MS = 24 * 3_600_000;

export async function runMaintenance(now = new Date()): Promise<MaintenanceOutcome> {
  const env = getEnv();
  const loginAttempts = await deleteExpiredLoginAttempts(now);
  const alertIncidents = await deleteResolvedIncidentsBefore(
    new Date(now.getTime() - env.ALERT_INCIDENT_RETENTION_DAYS * DAY_MS),
  );
  const expiredUsage = await refreshExpiredUsage(now);
  return { loginAttempts, alertIncidents, expiredUsage };
}

/** Registers the maintenance job's handler (instrumentation.ts). */
export function registerMaintenanceJobs(): void {
  registerJobHandler("maintenance", async ({ trigger }) => {
    const outcome = await runMaintenance();
    if (outcome.loginAttempts > 0 || outcome.alertIncidents > 0) {
      await audit({ action: "maintenance.run", result: "ok", details: { ...outcome, trigger } });
    }
  });
}
