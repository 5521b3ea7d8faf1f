-- CreateTable
CREATE TABLE "WebhookAuthRefusal" (
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookAuthRefusal_pkey" PRIMARY KEY ("minute","ip","reason")
);

-- Written by hand: the refusals of the retention window (48 hours) carried over as per-minute buckets, so the
-- health panel's count does not drop to zero at the upgrade. Older rows are what this change stops keeping.
INSERT INTO "WebhookAuthRefusal" ("minute", "ip", "reason", "count", "lastAt")
SELECT date_trunc('minute', "at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', left(COALESCE("ip", ''), 64), "reason",
       COUNT(*)::int, MAX("at")
FROM "WebhookAuthFailure"
WHERE "at" >= now() - interval '48 hours'
GROUP BY 1, 2, 3;

-- DropTable
DROP TABLE "WebhookAuthFailure";
