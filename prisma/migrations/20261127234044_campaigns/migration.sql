-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'running', 'paused', 'cancelled', 'done');

-- CreateEnum
CREATE TYPE "CampaignRowState" AS ENUM ('invalid', 'pending', 'sending', 'sent', 'failed', 'unknown');

-- CreateTable
CREATE TABLE "Campaign" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'draft',
    "statusNote" TEXT,
    "rowCount" INTEGER NOT NULL,
    "validCount" INTEGER NOT NULL,
    "errorCount" INTEGER NOT NULL,
    "travelers" INTEGER NOT NULL,
    "packages" INTEGER NOT NULL,
    "costCents" INTEGER NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "perDestination" JSONB NOT NULL,
    "mapping" JSONB NOT NULL,
    "actorId" UUID,
    "actorEmail" TEXT NOT NULL,
    "startedById" UUID,
    "startedByEmail" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignRow" (
    "id" BIGSERIAL NOT NULL,
    "campaignId" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "state" "CampaignRowState" NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "destinations" TEXT[],
    "payload" JSONB,
    "raw" JSONB NOT NULL,
    "costCents" INTEGER,
    "priceCents" INTEGER,
    "error" TEXT,
    "intentId" UUID,
    "hubbyBookingId" TEXT,
    "packageIds" TEXT[],
    "leaseUntil" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CampaignRow_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Campaign_createdAt_idx" ON "Campaign"("createdAt");

-- CreateIndex
CREATE INDEX "Campaign_status_idx" ON "Campaign"("status");

-- CreateIndex
CREATE INDEX "CampaignRow_campaignId_state_idx" ON "CampaignRow"("campaignId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignRow_campaignId_line_key" ON "CampaignRow"("campaignId", "line");

-- AddForeignKey
ALTER TABLE "CampaignRow" ADD CONSTRAINT "CampaignRow_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

