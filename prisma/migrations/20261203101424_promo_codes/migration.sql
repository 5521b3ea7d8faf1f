-- AlterEnum
ALTER TYPE "BookingIntentKind" ADD VALUE 'promo_codes';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "promoCodeRows" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "PromoCode" (
    "code" TEXT NOT NULL,
    "uuid" TEXT,
    "claimUrl" TEXT,
    "deepLinkUrl" TEXT,
    "packageId" TEXT,
    "packageSize" TEXT,
    "destination" TEXT,
    "iso3" TEXT,
    "packageType" TEXT,
    "packageDuration" INTEGER,
    "hubbyBookingId" TEXT,
    "intentId" UUID,
    "campaignId" UUID,
    "campaignLine" INTEGER,
    "issuedAt" TIMESTAMPTZ(3),
    "redeemedAt" TIMESTAMPTZ(3),
    "redemptionBookingId" TEXT,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PromoCode_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "PromoCode_firstSeenAt_code_idx" ON "PromoCode"("firstSeenAt", "code");

-- CreateIndex
CREATE INDEX "PromoCode_intentId_idx" ON "PromoCode"("intentId");

-- CreateIndex
CREATE INDEX "PromoCode_campaignId_firstSeenAt_idx" ON "PromoCode"("campaignId", "firstSeenAt");

-- CreateIndex
CREATE INDEX "PromoCode_issuedAt_idx" ON "PromoCode"("issuedAt");

-- CreateIndex
CREATE INDEX "PromoCode_redeemedAt_idx" ON "PromoCode"("redeemedAt");

-- CreateIndex
CREATE INDEX "PromoCode_redemptionBookingId_idx" ON "PromoCode"("redemptionBookingId");

