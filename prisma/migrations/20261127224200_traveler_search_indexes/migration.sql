-- DropIndex
DROP INDEX "Traveler_iccid_idx";

-- CreateIndex
CREATE INDEX "Traveler_iccid_idx" ON "Traveler"("iccid" text_pattern_ops);

-- CreateIndex
CREATE INDEX "Traveler_externalUserId_pattern_idx" ON "Traveler"("externalUserId" text_pattern_ops);

-- CreateIndex
CREATE INDEX "Traveler_esimState_idx" ON "Traveler"("esimState");

-- DropIndex
DROP INDEX "TravelerBooking_departsAt_idx";

-- CreateIndex
CREATE INDEX "TravelerBooking_departsAt_externalUserId_departureDate_idx" ON "TravelerBooking"("departsAt", "externalUserId", "departureDate");

-- CreateIndex
CREATE INDEX "TravelerBooking_bookingId_pattern_idx" ON "TravelerBooking"("bookingId" text_pattern_ops);

-- CreateIndex
CREATE INDEX "TravelerPackage_packageId_pattern_idx" ON "TravelerPackage"("packageId" text_pattern_ops);

-- CreateIndex
CREATE INDEX "UsageSample_percent_at_externalUserId_idx" ON "UsageSample"("percent", "at", "externalUserId");


-- Written by hand (Prisma cannot say NULLS LAST): the travelers list sorts by "lastEventAt" DESC NULLS LAST (its
-- reverse, ASC NULLS FIRST, is a backward scan of the same index) and filters "no activity for D days" on it.
-- tests/integration/migrations.test.ts lists it among the indexes that exist only in migrations.
CREATE INDEX "Traveler_lastEventAt_externalUserId_idx" ON "Traveler"("lastEventAt" DESC NULLS LAST, "externalUserId");
