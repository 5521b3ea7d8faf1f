-- The forwarding outbox moves off the event row (docs/decisions/0079): a row per event whose forwarding messages
-- are still to be made, inserted in the statement that stores the event (while an endpoint is enabled) and deleted
-- in the statement that makes its messages. Taking an event was an update of "WebhookEvent" (a wide row with eight
-- indexes, none of them skipped: the flag was in a partial index's predicate) in every partition. No foreign key to
-- "WebhookEvent": retention drops whole month partitions, and a row whose event is gone is deleted without a message.
CREATE TABLE "WebhookForwardPending" (
    "eventId" BIGINT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookForwardPending_pkey" PRIMARY KEY ("eventId")
);

-- Events still pending under the old flag keep their place in the outbox.
INSERT INTO "WebhookForwardPending" ("eventId", "receivedAt")
SELECT "id", "receivedAt" FROM "WebhookEvent" WHERE "forwardPending";

DROP INDEX "WebhookEvent_forwardPending_idx";
ALTER TABLE "WebhookEvent" DROP COLUMN "forwardPending";

-- Only pending messages in the claim's index, in its order ("nextAttemptAt", id): the claim reads the first due ones
-- instead of sorting every due message, and a delivered message leaves the index instead of adding an entry.
DROP INDEX "ForwardMessage_status_nextAttemptAt_idx";
CREATE INDEX "ForwardMessage_pending_due_idx" ON "ForwardMessage"("nextAttemptAt", "id") WHERE "status" = 'pending';

-- An ordered endpoint's pending messages by traveler, the claim's check of an earlier one; messages of endpoints
-- that are not ordered (no ordering key) and finished ones are not in it.
DROP INDEX "ForwardMessage_endpointId_orderingKey_id_idx";
CREATE INDEX "ForwardMessage_pending_ordering_idx" ON "ForwardMessage"("endpointId", "orderingKey", "id")
  WHERE "status" = 'pending' AND "orderingKey" IS NOT NULL;
