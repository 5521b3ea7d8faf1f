/**
 * Next.js calls register() once when the server starts. In the Node.js runtime (not the edge) it starts the job
 * system (lib/jobs/) with the handlers of each domain, queues a catalog read when the catalog is empty or stale,
 * gives campaigns left running by a stop or a crash their worker back, and starts again the dry runs left checking
 * from their stored file. NEXT_RUNTIME is set by Next.js itself, not by us. scripts/server.ts stops the job
 * system on SIGTERM.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startJobs } = await import("./lib/jobs/jobs");
  const catalog = await import("./lib/catalog/background");
  const { registerMaintenanceJobs } = await import("./lib/maintenance/maintenance");
  const { registerReconciliationJobs } = await import("./lib/webhooks/reconcile");
  catalog.registerCatalogJobs();
  registerMaintenanceJobs();
  registerReconciliationJobs();
  // Not awaited: Next.js holds every request until register() returns, and the start never waits on pg-boss's
  // schema check or on Hubby. /api/health says "degraded" until the job system runs; a catalog that is empty or
  // stale is queued for reading once it does (pages say "being read from Hubby" until it is in).
  void startJobs().then(
    () =>
      catalog.refreshCatalogAtStartWhenStale().catch((error: unknown) => {
        console.error("[catalog] could not queue the catalog refresh:", error);
      }),
    (error: unknown) => {
      console.error("[jobs] could not start the job system:", error);
    },
  );
  const { resumeRunningCampaigns } = await import("./lib/campaigns/worker");
  const { resumeCheckingCampaigns } = await import("./lib/campaigns/dry-run");
  const resumed = await resumeRunningCampaigns().catch((error: unknown) => {
    console.error("[campaigns] could not resume running campaigns:", error);
    return 0;
  });
  if (resumed > 0) console.log(`[campaigns] resumed ${resumed} running campaign(s)`);
  const checking = await resumeCheckingCampaigns().catch((error: unknown) => {
    console.error("[campaigns] could not resume the dry runs being checked:", error);
    return 0;
  });
  if (checking > 0) console.log(`[campaigns] resumed the dry run of ${checking} campaign(s)`);
}
