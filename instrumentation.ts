/**
 * Next.js calls register() once when the server starts. In the Node.js runtime (not the edge) it starts the job
 * system (lib/jobs/) with the handlers of each domain, then queues a catalog read when the catalog is empty or stale
 * and a job for each campaign left running or checking whose job was lost. NEXT_RUNTIME is set by Next.js itself,
 * not by us. scripts/server.ts stops the job system on SIGTERM.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startJobs } = await import("./lib/jobs/jobs");
  const { errorFields, log } = await import("./lib/log");
  const logger = log("start");
  const catalog = await import("./lib/catalog/background");
  const { registerMaintenanceJobs } = await import("./lib/maintenance/maintenance");
  const { registerReconciliationJobs } = await import("./lib/webhooks/reconcile");
  const campaigns = await import("./lib/campaigns/jobs");
  const { registerAlertJobs } = await import("./lib/alerts/evaluate");
  const { registerForwarding } = await import("./lib/forwarding/delivery");
  const { registerPrivacyJobs } = await import("./lib/privacy/retention");
  const { registerPartitionJobs } = await import("./lib/webhooks/partitions");
  const { registerRetentionJobs } = await import("./lib/retention/jobs");
  const { registerWebhookRollupJobs } = await import("./lib/webhooks/rollup");
  const { registerProjectionJobs, queueProjectionSweepAtStart } = await import("./lib/webhooks/projector");
  catalog.registerCatalogJobs();
  campaigns.registerCampaignJobs();
  registerMaintenanceJobs();
  registerReconciliationJobs();
  registerAlertJobs();
  registerForwarding();
  registerPrivacyJobs();
  registerPartitionJobs();
  registerRetentionJobs();
  registerWebhookRollupJobs();
  registerProjectionJobs();
  // Not awaited: Next.js holds every request until register() returns, and the start never waits on pg-boss's
  // schema check or on Hubby. /api/health says "degraded" until the job system runs; a catalog that is empty or
  // stale is queued for reading once it does (pages say "being read from Hubby" until it is in).
  // Tried again every 5 s until it runs: a database that is briefly unreachable at start must not leave this
  // instance without its job system (and so never ready) until the next restart.
  const startJobSystem = (attempt: number): void => {
    void startJobs().then(
      async () => {
        logger.info({ attempt }, "job system running");
        await catalog.refreshCatalogAtStartWhenStale().catch((error: unknown) => {
          logger.error(errorFields(error), "could not queue the catalog refresh");
        });
        await campaigns.queueUnfinishedCampaigns().catch((error: unknown) => {
          logger.error(errorFields(error), "could not queue the campaigns left running or checking");
        });
        await queueProjectionSweepAtStart().catch((error: unknown) => {
          logger.error(errorFields(error), "could not queue the sweep of projections left pending");
        });
      },
      (error: unknown) => {
        logger.error({ attempt, ...errorFields(error) }, "could not start the job system; trying again in 5 s");
        setTimeout(() => startJobSystem(attempt + 1), 5_000).unref();
      },
    );
  };
  startJobSystem(1);
}
