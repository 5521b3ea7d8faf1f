/**
 * Next.js calls register() once when the server starts. In the Node.js runtime (not the edge) it starts the job
 * system (lib/jobs/) with the handlers of each domain, then queues a catalog read when the catalog is empty or stale
 * and a job for each campaign left running or checking whose job was lost. NEXT_RUNTIME is set by Next.js itself,
 * not by us. scripts/server.ts stops the job system on SIGTERM.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startJobs } = await import("./lib/jobs/jobs");
  const catalog = await import("./lib/catalog/background");
  const { registerMaintenanceJobs } = await import("./lib/maintenance/maintenance");
  const { registerReconciliationJobs } = await import("./lib/webhooks/reconcile");
  const campaigns = await import("./lib/campaigns/jobs");
  const { registerForwarding } = await import("./lib/forwarding/delivery");
  catalog.registerCatalogJobs();
  campaigns.registerCampaignJobs();
  registerMaintenanceJobs();
  registerReconciliationJobs();
  registerForwarding();
  // Not awaited: Next.js holds every request until register() returns, and the start never waits on pg-boss's
  // schema check or on Hubby. /api/health says "degraded" until the job system runs; a catalog that is empty or
  // stale is queued for reading once it does (pages say "being read from Hubby" until it is in).
  void startJobs().then(
    async () => {
      await catalog.refreshCatalogAtStartWhenStale().catch((error: unknown) => {
        console.error("[catalog] could not queue the catalog refresh:", error);
      });
      await campaigns.queueUnfinishedCampaigns().catch((error: unknown) => {
        console.error("[campaigns] could not queue the campaigns left running or checking:", error);
      });
    },
    (error: unknown) => {
      console.error("[jobs] could not start the job system:", error);
    },
  );
}
