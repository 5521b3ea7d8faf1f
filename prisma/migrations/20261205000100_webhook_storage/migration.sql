-- Webhook storage (docs/decisions/0063-webhook-storage.md): each body kept once, and "WebhookEvent" partitioned by
-- month on "receivedAt". The old table is renamed, a partitioned one created in its place, the rows copied, the
-- indexes and references recreated, and the old table dropped.

-- Free the old table's names (its indexes, key and sequence keep theirs otherwise).
ALTER TABLE "ForwardMessage" DROP CONSTRAINT "ForwardMessage_eventId_fkey";
ALTER TABLE "WebhookEvent" RENAME TO "WebhookEvent_unpartitioned";
ALTER TABLE "WebhookEvent_unpartitioned" RENAME CONSTRAINT "WebhookEvent_pkey" TO "WebhookEvent_unpartitioned_pkey";
DROP INDEX "WebhookEvent_dedupeKey_key";
DROP INDEX "WebhookEvent_receivedAt_idx";
DROP INDEX "WebhookEvent_eventType_receivedAt_idx";
DROP INDEX "WebhookEvent_status_receivedAt_idx";
DROP INDEX "WebhookEvent_externalUserId_receivedAt_idx";
DROP INDEX "WebhookEvent_bookingId_idx";
DROP INDEX "WebhookEvent_packageId_idx";
DROP INDEX "WebhookEvent_forwardPending_idx";
-- The ids go on from where they were: the new table takes over the sequence.
ALTER SEQUENCE "WebhookEvent_id_seq" OWNED BY NONE;

-- Keys of a partitioned table must hold the partition key: (id, receivedAt). dedupeKey is unique in WebhookDedupe.
-- The body is in "body" (json: the input text verbatim) when it is JSON, else in "rawBody" (and "rawBytes" when
-- the bytes are not UTF-8 text); the jsonb copy ("payload") is gone.
CREATE TABLE "WebhookEvent" (
    "id" BIGINT NOT NULL DEFAULT nextval('"WebhookEvent_id_seq"'::regclass),
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "eventType" TEXT NOT NULL,
    "eventAt" TIMESTAMPTZ(3),
    "dedupeKey" TEXT NOT NULL,
    "eventId" TEXT,
    "headers" JSONB NOT NULL,
    "body" JSON,
    "rawBody" TEXT,
    "rawBytes" BYTEA,
    "status" "WebhookStatus" NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "lastDuplicateAt" TIMESTAMPTZ(3),
    "processedAt" TIMESTAMPTZ(3),
    "externalUserId" TEXT,
    "bookingId" TEXT,
    "packageId" TEXT,
    "forwardPending" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id", "receivedAt")
) PARTITION BY RANGE ("receivedAt");
ALTER SEQUENCE "WebhookEvent_id_seq" OWNED BY "WebhookEvent"."id";

-- A partition per UTC month from the oldest stored event's through three months from now (the naming the retention
-- job relies on: WebhookEvent_pYYYY_MM), and a default partition for anything outside them.
DO $$
DECLARE
  each_month timestamp;
  last_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months';
BEGIN
  SELECT date_trunc('month', min("receivedAt") AT TIME ZONE 'UTC') INTO each_month FROM "WebhookEvent_unpartitioned";
  each_month := LEAST(COALESCE(each_month, last_month), date_trunc('month', now() AT TIME ZONE 'UTC'));
  WHILE each_month <= last_month LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "WebhookEvent" FOR VALUES FROM (%L) TO (%L)',
      'WebhookEvent_p' || to_char(each_month, 'YYYY_MM'),
      to_char(each_month, 'YYYY-MM-DD') || ' 00:00:00+00',
      to_char(each_month + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
    each_month := each_month + interval '1 month';
  END LOOP;
END $$;
CREATE TABLE "WebhookEvent_default" PARTITION OF "WebhookEvent" DEFAULT;

-- A body stored as JSON before (it had a "payload") moves to "body" as its exact text; jsonb accepted it, so json
-- does. The others keep "rawBody" (and "rawBytes").
INSERT INTO "WebhookEvent" ("id", "receivedAt", "eventType", "eventAt", "dedupeKey", "eventId", "headers", "body",
  "rawBody", "rawBytes", "status", "error", "attempts", "duplicates", "lastDuplicateAt", "processedAt",
  "externalUserId", "bookingId", "packageId", "forwardPending")
SELECT "id", "receivedAt", "eventType", "eventAt", "dedupeKey", "eventId", "headers",
  CASE WHEN "payload" IS NOT NULL AND "rawBytes" IS NULL THEN "rawBody"::json END,
  CASE WHEN "payload" IS NOT NULL AND "rawBytes" IS NULL THEN NULL ELSE "rawBody" END,
  "rawBytes", "status", "error", "attempts", "duplicates", "lastDuplicateAt", "processedAt",
  "externalUserId", "bookingId", "packageId", "forwardPending"
FROM "WebhookEvent_unpartitioned";

-- CreateTable
CREATE TABLE "WebhookDedupe" (
    "dedupeKey" TEXT NOT NULL,
    "eventId" BIGINT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookDedupe_pkey" PRIMARY KEY ("dedupeKey")
);
INSERT INTO "WebhookDedupe" ("dedupeKey", "eventId", "receivedAt")
SELECT "dedupeKey", "id", "receivedAt" FROM "WebhookEvent_unpartitioned";

-- AlterTable
ALTER TABLE "ForwardMessage" ADD COLUMN     "eventReceivedAt" TIMESTAMPTZ(3);
UPDATE "ForwardMessage" m SET "eventReceivedAt" = w."receivedAt"
  FROM "WebhookEvent_unpartitioned" w WHERE w."id" = m."eventId";

DROP TABLE "WebhookEvent_unpartitioned";

-- CreateIndex (on the partitioned table: each partition gets its own)
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");
CREATE INDEX "WebhookEvent_eventType_receivedAt_idx" ON "WebhookEvent"("eventType", "receivedAt");
CREATE INDEX "WebhookEvent_status_receivedAt_idx" ON "WebhookEvent"("status", "receivedAt");
CREATE INDEX "WebhookEvent_externalUserId_receivedAt_idx" ON "WebhookEvent"("externalUserId", "receivedAt");
CREATE INDEX "WebhookEvent_bookingId_idx" ON "WebhookEvent"("bookingId");
CREATE INDEX "WebhookEvent_packageId_idx" ON "WebhookEvent"("packageId");
-- Hand-written (Prisma 6 has no partial index): the events still to be forwarded.
CREATE INDEX "WebhookEvent_forwardPending_idx" ON "WebhookEvent"("id") WHERE "forwardPending";

-- CreateIndex
CREATE INDEX "WebhookDedupe_receivedAt_eventId_idx" ON "WebhookDedupe"("receivedAt", "eventId");

-- AddForeignKey
ALTER TABLE "WebhookDedupe" ADD CONSTRAINT "WebhookDedupe_eventId_receivedAt_fkey" FOREIGN KEY ("eventId", "receivedAt") REFERENCES "WebhookEvent"("id", "receivedAt") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForwardMessage" ADD CONSTRAINT "ForwardMessage_eventId_eventReceivedAt_fkey" FOREIGN KEY ("eventId", "eventReceivedAt") REFERENCES "WebhookEvent"("id", "receivedAt") ON DELETE CASCADE ON UPDATE CASCADE;
