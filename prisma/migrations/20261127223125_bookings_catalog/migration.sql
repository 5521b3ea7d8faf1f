-- CreateEnum
CREATE TYPE "BookingIntentKind" AS ENUM ('issue', 'top_up');

-- CreateEnum
CREATE TYPE "BookingIntentStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'UNKNOWN', 'FAILED');

-- CreateTable
CREATE TABLE "BookingIntent" (
    "id" UUID NOT NULL,
    "clientKey" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "kind" "BookingIntentKind" NOT NULL,
    "status" "BookingIntentStatus" NOT NULL DEFAULT 'PENDING',
    "payload" JSONB NOT NULL,
    "quote" JSONB,
    "externalUserIds" TEXT[],
    "destinations" TEXT[],
    "costCents" INTEGER,
    "priceCents" INTEGER,
    "currency" TEXT,
    "actorId" UUID,
    "actorEmail" TEXT NOT NULL,
    "reason" TEXT,
    "hubbyBookingId" TEXT,
    "packages" JSONB,
    "response" JSONB,
    "error" TEXT,
    "errorField" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),
    "settledAt" TIMESTAMPTZ(3),

    CONSTRAINT "BookingIntent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BookingIntentEvent" (
    "id" BIGSERIAL NOT NULL,
    "intentId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "from" "BookingIntentStatus",
    "to" "BookingIntentStatus" NOT NULL,
    "note" TEXT NOT NULL,
    "actorId" UUID,
    "actorEmail" TEXT,

    CONSTRAINT "BookingIntentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsoleSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedById" UUID,
    "updatedByEmail" TEXT,

    CONSTRAINT "ConsoleSetting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "CatalogDestination" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "iso3" TEXT,
    "type" TEXT,
    "countries" TEXT[],
    "fetchedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CatalogDestination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogBundle" (
    "destinationId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "sizeBytes" BIGINT,
    "durationDays" INTEGER,
    "b2bCents" INTEGER,
    "b2cCents" INTEGER,
    "currency" TEXT,
    "visible" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "CatalogBundle_pkey" PRIMARY KEY ("destinationId","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BookingIntent_clientKey_key" ON "BookingIntent"("clientKey");

-- CreateIndex
CREATE UNIQUE INDEX "BookingIntent_reference_key" ON "BookingIntent"("reference");

-- CreateIndex
CREATE INDEX "BookingIntent_createdAt_idx" ON "BookingIntent"("createdAt");

-- CreateIndex
CREATE INDEX "BookingIntent_status_createdAt_idx" ON "BookingIntent"("status", "createdAt");

-- CreateIndex
CREATE INDEX "BookingIntent_hubbyBookingId_idx" ON "BookingIntent"("hubbyBookingId");

-- CreateIndex
CREATE INDEX "BookingIntentEvent_intentId_at_idx" ON "BookingIntentEvent"("intentId", "at");

-- AddForeignKey
ALTER TABLE "BookingIntentEvent" ADD CONSTRAINT "BookingIntentEvent_intentId_fkey" FOREIGN KEY ("intentId") REFERENCES "BookingIntent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogBundle" ADD CONSTRAINT "CatalogBundle_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "CatalogDestination"("id") ON DELETE CASCADE ON UPDATE CASCADE;

