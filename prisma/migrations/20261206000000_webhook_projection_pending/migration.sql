-- Events acknowledged before their projection was written (lib/webhooks/projector.ts, docs/decisions/0071): a row
-- per event, inserted in the statement that stores the event and deleted in the statement that writes its
-- projection. No foreign key to "WebhookEvent": retention drops whole month partitions, and a pending row whose
-- event is gone is simply deleted by the sweep.
CREATE TABLE "WebhookProjectionPending" (
    "eventId" BIGINT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookProjectionPending_pkey" PRIMARY KEY ("eventId")
);
