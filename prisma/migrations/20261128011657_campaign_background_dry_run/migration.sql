-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "CampaignStatus" ADD VALUE 'checking';
ALTER TYPE "CampaignStatus" ADD VALUE 'rejected';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "checkedRows" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "CampaignFile" (
    "campaignId" UUID NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignFile_pkey" PRIMARY KEY ("campaignId")
);

-- AddForeignKey
ALTER TABLE "CampaignFile" ADD CONSTRAINT "CampaignFile_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

