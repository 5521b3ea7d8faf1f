-- AlterTable
ALTER TABLE "TravelerBooking" ADD COLUMN     "departsAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "SavedView" (
    "id" UUID NOT NULL,
    "screen" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdById" UUID,
    "createdByEmail" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedView_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstructionSnapshot" (
    "id" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "staffId" UUID,
    "staffEmail" TEXT,
    "externalUserId" TEXT NOT NULL,
    "inputs" JSONB NOT NULL,
    "format" TEXT NOT NULL,
    "html" TEXT,
    "content" JSONB,
    "branding" TEXT,

    CONSTRAINT "InstructionSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SavedView_screen_name_key" ON "SavedView"("screen", "name");

-- CreateIndex
CREATE INDEX "InstructionSnapshot_externalUserId_createdAt_idx" ON "InstructionSnapshot"("externalUserId", "createdAt");

-- CreateIndex
CREATE INDEX "TravelerBooking_departsAt_idx" ON "TravelerBooking"("departsAt");


-- Backfill departsAt from the stored text (a date alone reads as 00:00 UTC; anything unreadable stays NULL).
UPDATE "TravelerBooking" SET "departsAt" = CASE
  WHEN "departureDate" ~ '^\d{4}-\d{2}-\d{2}$' THEN ("departureDate" || 'T00:00:00Z')::timestamptz
  WHEN "departureDate" ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$' THEN "departureDate"::timestamptz
  END
WHERE "departureDate" IS NOT NULL;
