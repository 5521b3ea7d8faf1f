-- DropIndex
DROP INDEX "CampaignRow_campaignId_state_idx";

-- CreateIndex
CREATE INDEX "CampaignRow_campaignId_state_line_idx" ON "CampaignRow"("campaignId", "state", "line");

