-- CreateTable
CREATE TABLE "TravelerLegalHold" (
    "externalUserId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "setAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "setById" UUID,
    "setByEmail" TEXT,

    CONSTRAINT "TravelerLegalHold_pkey" PRIMARY KEY ("externalUserId")
);

-- CreateTable
CREATE TABLE "ErasedTraveler" (
    "pseudonym" TEXT NOT NULL,
    "erasedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trigger" TEXT NOT NULL,
    "rewritten" JSONB NOT NULL,
    "actorId" UUID,
    "actorEmail" TEXT,

    CONSTRAINT "ErasedTraveler_pkey" PRIMARY KEY ("pseudonym")
);

-- CreateIndex
CREATE INDEX "ErasedTraveler_erasedAt_idx" ON "ErasedTraveler"("erasedAt");

