-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "id" BIGSERIAL NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "externalUserId" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "startedById" UUID,
    "startedByEmail" TEXT,
    "error" TEXT,

    CONSTRAINT "ReconciliationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconciliationChange" (
    "id" BIGSERIAL NOT NULL,
    "runId" BIGINT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "record" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,

    CONSTRAINT "ReconciliationChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReconciliationRun_startedAt_idx" ON "ReconciliationRun"("startedAt");

-- CreateIndex
CREATE INDEX "ReconciliationChange_runId_idx" ON "ReconciliationChange"("runId");

-- CreateIndex
CREATE INDEX "ReconciliationChange_externalUserId_idx" ON "ReconciliationChange"("externalUserId");

-- AddForeignKey
ALTER TABLE "ReconciliationChange" ADD CONSTRAINT "ReconciliationChange_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ReconciliationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

