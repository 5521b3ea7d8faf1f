-- Written by hand (Prisma 6 has no partial index): the count of active packages (activated, not expired, under
-- 100 %) that the overview, the webhook health panel, reconciliation and the silence alert read. Without it each
-- read walked every package row (56 ms at 384,000 packages); with it, an index-only range scan (2 ms).
CREATE INDEX "TravelerPackage_active_expiresAt_idx" ON "TravelerPackage" ("expiresAt") INCLUDE ("usagePercent")
  WHERE "activatedAt" IS NOT NULL;
