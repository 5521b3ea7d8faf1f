-- CreateEnum
CREATE TYPE "ForwardMessageStatus" AS ENUM ('pending', 'delivered', 'failed');

-- AlterTable: events stored before forwarding existed are not forwarded (false), every later one is (default true).
ALTER TABLE "WebhookEvent" ADD COLUMN     "forwardPending" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "WebhookEvent" ALTER COLUMN "forwardPending" SET DEFAULT true;

-- Written by hand (Prisma 6 has no partial index): only events still to be forwarded, so the index stays a few
-- rows small and the fan-out finds them without scanning the table.
CREATE INDEX "WebhookEvent_forwardPending_idx" ON "WebhookEvent"("id") WHERE "forwardPending";

-- CreateTable
CREATE TABLE "ForwardEndpoint" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "eventTypes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "rateLimitPerSecond" INTEGER,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "ordered" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'console',
    "configKey" TEXT,
    "secret" TEXT NOT NULL,
    "previousSecret" TEXT,
    "previousSecretUntil" TIMESTAMPTZ(3),
    "disabledAt" TIMESTAMPTZ(3),
    "disabledReason" TEXT,
    "failingSince" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ForwardEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForwardMessage" (
    "id" BIGSERIAL NOT NULL,
    "endpointId" INTEGER NOT NULL,
    "eventId" BIGINT,
    "webhookId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "orderingKey" TEXT,
    "body" TEXT,
    "status" "ForwardMessageStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "lastAttemptAt" TIMESTAMPTZ(3),
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "claimedUntil" TIMESTAMPTZ(3),
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForwardMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForwardAttempt" (
    "id" BIGSERIAL NOT NULL,
    "messageId" BIGINT NOT NULL,
    "endpointId" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "succeeded" BOOLEAN NOT NULL,
    "statusCode" INTEGER,
    "latencyMs" INTEGER NOT NULL,
    "error" TEXT,
    "response" TEXT,

    CONSTRAINT "ForwardAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ForwardEndpoint_configKey_key" ON "ForwardEndpoint"("configKey");

-- CreateIndex
CREATE INDEX "ForwardMessage_status_nextAttemptAt_idx" ON "ForwardMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ForwardMessage_endpointId_status_createdAt_idx" ON "ForwardMessage"("endpointId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "ForwardMessage_endpointId_orderingKey_id_idx" ON "ForwardMessage"("endpointId", "orderingKey", "id");

-- CreateIndex
CREATE INDEX "ForwardMessage_eventId_idx" ON "ForwardMessage"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "ForwardMessage_endpointId_eventId_key" ON "ForwardMessage"("endpointId", "eventId");

-- CreateIndex
CREATE INDEX "ForwardAttempt_endpointId_at_idx" ON "ForwardAttempt"("endpointId", "at");

-- CreateIndex
CREATE INDEX "ForwardAttempt_messageId_at_idx" ON "ForwardAttempt"("messageId", "at");

-- AddForeignKey
ALTER TABLE "ForwardMessage" ADD CONSTRAINT "ForwardMessage_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "ForwardEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForwardMessage" ADD CONSTRAINT "ForwardMessage_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForwardAttempt" ADD CONSTRAINT "ForwardAttempt_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "ForwardMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForwardAttempt" ADD CONSTRAINT "ForwardAttempt_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "ForwardEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

