-- AlterEnum
ALTER TYPE "CampaignRowState" ADD VALUE 'review';

