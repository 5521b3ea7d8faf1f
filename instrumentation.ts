/**
 * Next.js calls register() once when the server starts. In the Node.js runtime (not the edge), the destination
 * catalog is read from Hubby in the background when it is empty or stale, campaigns left running by a stop or a
 * crash get their worker back here, and dry runs left checking start again from their stored file; NEXT_RUNTIME is
 * set by Next.js itself, not by us.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Not awaited: the start never waits on Hubby; pages say "being read from Hubby" until it is in.
  const { keepCatalogFresh } = await import("./lib/catalog/background");
  keepCatalogFresh();
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
