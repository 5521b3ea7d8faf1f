-- CreateEnum
CREATE TYPE "WebhookStatus" AS ENUM ('processed', 'unhandled', 'failed', 'quarantined');

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" BIGSERIAL NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "eventType" TEXT NOT NULL,
    "eventAt" TIMESTAMPTZ(3),
    "dedupeKey" TEXT NOT NULL,
    "eventId" TEXT,
    "headers" JSONB NOT NULL,
    "rawBody" TEXT NOT NULL,
    "payload" JSONB,
    "status" "WebhookStatus" NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "lastDuplicateAt" TIMESTAMPTZ(3),
    "processedAt" TIMESTAMPTZ(3),
    "externalUserId" TEXT,
    "bookingId" TEXT,
    "packageId" TEXT,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAuthFailure" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "ip" TEXT,

    CONSTRAINT "WebhookAuthFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Traveler" (
    "externalUserId" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "iccid" TEXT,
    "esimState" TEXT,
    "esimStateAt" TIMESTAMPTZ(3),
    "lastEventType" TEXT,
    "lastEventAt" TIMESTAMPTZ(3),

    CONSTRAINT "Traveler_pkey" PRIMARY KEY ("externalUserId")
);

-- CreateTable
CREATE TABLE "TravelerBooking" (
    "bookingId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "departureDate" TEXT,
    "withinCutoffAt" TIMESTAMPTZ(3),
    "withinCutoffEsimInstalled" BOOLEAN,
    "aboutToDepartAt" TIMESTAMPTZ(3),
    "aboutToDepartEsimInstalled" BOOLEAN,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TravelerBooking_pkey" PRIMARY KEY ("bookingId","externalUserId")
);

-- CreateTable
CREATE TABLE "TravelerPackage" (
    "packageId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "bookingId" TEXT,
    "destination" TEXT,
    "size" TEXT,
    "packageType" TEXT,
    "activatedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "usagePercent" INTEGER NOT NULL DEFAULT 0,
    "usedBytes" BIGINT,
    "remainingBytes" BIGINT,
    "durationDays" INTEGER,
    "elapsedDays" INTEGER,
    "remainingDays" INTEGER,
    "lastUsageAt" TIMESTAMPTZ(3),
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TravelerPackage_pkey" PRIMARY KEY ("packageId")
);

-- CreateTable
CREATE TABLE "UsageSample" (
    "packageId" TEXT NOT NULL,
    "percent" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "usedBytes" BIGINT,
    "remainingBytes" BIGINT,

    CONSTRAINT "UsageSample_pkey" PRIMARY KEY ("packageId","percent")
);

-- CreateTable
CREATE TABLE "PromoRedemption" (
    "promoCode" TEXT NOT NULL,
    "bookingId" TEXT NOT NULL,
    "redeemedAt" TEXT NOT NULL,

    CONSTRAINT "PromoRedemption_pkey" PRIMARY KEY ("promoCode","bookingId")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_dedupeKey_key" ON "WebhookEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_eventType_receivedAt_idx" ON "WebhookEvent"("eventType", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_receivedAt_idx" ON "WebhookEvent"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_externalUserId_receivedAt_idx" ON "WebhookEvent"("externalUserId", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_bookingId_idx" ON "WebhookEvent"("bookingId");

-- CreateIndex
CREATE INDEX "WebhookEvent_packageId_idx" ON "WebhookEvent"("packageId");

-- CreateIndex
CREATE INDEX "WebhookAuthFailure_at_idx" ON "WebhookAuthFailure"("at");

-- CreateIndex
CREATE INDEX "Traveler_lastSeenAt_idx" ON "Traveler"("lastSeenAt");

-- CreateIndex
CREATE INDEX "Traveler_iccid_idx" ON "Traveler"("iccid");

-- CreateIndex
CREATE INDEX "TravelerBooking_externalUserId_idx" ON "TravelerBooking"("externalUserId");

-- CreateIndex
CREATE INDEX "TravelerPackage_externalUserId_idx" ON "TravelerPackage"("externalUserId");

-- CreateIndex
CREATE INDEX "TravelerPackage_bookingId_idx" ON "TravelerPackage"("bookingId");

-- CreateIndex
CREATE INDEX "UsageSample_externalUserId_at_idx" ON "UsageSample"("externalUserId", "at");

