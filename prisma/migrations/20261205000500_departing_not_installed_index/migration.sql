-- The travelers list's "departing within N hours" filter reads the maintained next departure (decision 0068's
-- "Left"): with "eSIM not installed" (the overview's at-risk queue), this partial index holds only the travelers never
-- reported installed, so the queue reads its matches instead of probing every traveler departing soon. Written by
-- hand: Prisma's schema cannot say WHERE.
CREATE INDEX "Traveler_nextDepartureAt_not_installed_idx" ON "Traveler" ("nextDepartureAt") WHERE "esimState" IS NULL;
