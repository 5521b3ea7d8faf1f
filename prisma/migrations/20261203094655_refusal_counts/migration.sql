-- CreateTable
CREATE TABLE "RefusalCount" (
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RefusalCount_pkey" PRIMARY KEY ("minute","kind","ip","reason")
);

-- Written by hand: the webhook refusals of the retention window (48 hours) carried over as per-minute buckets, so
-- the health panel's count does not drop to zero at the upgrade. Older rows are what this change stops keeping.
INSERT INTO "RefusalCount" ("minute", "kind", "ip", "reason", "count", "lastAt")
SELECT date_trunc('minute', "at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'webhook', left(COALESCE("ip", ''), 64),
       "reason", COUNT(*)::int, MAX("at")
FROM "WebhookAuthFailure"
WHERE "at" >= now() - interval '48 hours'
GROUP BY 1, 3, 4;

-- DropTable
DROP TABLE "WebhookAuthFailure";
