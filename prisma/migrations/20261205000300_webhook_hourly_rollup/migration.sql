-- The webhook inbox's hourly rollup (docs/decisions/0065-webhook-hourly-rollup.md): the health panel, the inbox's
-- totals and the overview read closed hours from here instead of scanning "WebhookEvent". Filled by the rollup job
-- (lib/webhooks/rollup.ts), never by the intake.
-- CreateTable
CREATE TABLE "WebhookHourly" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "eventType" TEXT NOT NULL,
    "status" "WebhookStatus" NOT NULL,
    "events" INTEGER NOT NULL,
    "duplicates" INTEGER NOT NULL,

    CONSTRAINT "WebhookHourly_pkey" PRIMARY KEY ("hour","eventType","status")
);

-- CreateTable
CREATE TABLE "WebhookHourlyLag" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "eventAge" INTEGER NOT NULL,
    "bucket" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "WebhookHourlyLag_pkey" PRIMARY KEY ("hour","eventAge","bucket")
);

-- CreateTable
CREATE TABLE "WebhookRollupState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "rolledThrough" TIMESTAMPTZ(3) NOT NULL,
    "lastEventId" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookRollupState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookRollupStale" (
    "id" BIGSERIAL NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookRollupStale_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookRollupStale_hour_idx" ON "WebhookRollupStale"("hour");


-- Written by hand from here on.
-- A rolled-up hour whose events change afterwards (a replay changes a status; a late duplicate adds to one) is
-- marked stale, and the job rolls it again. Only UPDATEs naming "status" or "duplicates" reach the trigger, and its
-- WHEN clause (evaluated without entering PL/pgSQL) lets through only rows received more than 2 minutes before (the
-- rollup's grace, ROLLUP_GRACE_MS: younger rows are not rolled up yet): the intake's inserts never fire it, and a
-- duplicate delivered within 2 minutes of the original, the usual retry, costs the comparison only. Rows are
-- appended (no unique key), so a marking transaction never waits for the job or for another marker; the job deletes
-- the marks it sees before it re-reads the hour, so a mark committed later survives for its next run.
CREATE FUNCTION webhook_rollup_mark_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WebhookRollupStale" ("hour") VALUES (date_trunc('hour', OLD."receivedAt", 'UTC'));
  RETURN NULL;
END
$$;

CREATE TRIGGER webhook_rollup_mark_stale
  AFTER UPDATE OF "status", "duplicates" ON "WebhookEvent"
  FOR EACH ROW
  WHEN ((OLD."status" IS DISTINCT FROM NEW."status" OR OLD."duplicates" IS DISTINCT FROM NEW."duplicates")
    AND OLD."receivedAt" < now() - interval '2 minutes')
  EXECUTE FUNCTION webhook_rollup_mark_stale();
