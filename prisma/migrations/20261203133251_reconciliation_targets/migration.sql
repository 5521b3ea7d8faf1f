-- CreateTable
CREATE TABLE "ReconciliationTarget" (
    "runId" BIGINT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "doneAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReconciliationTarget_pkey" PRIMARY KEY ("runId","externalUserId")
);

-- AddForeignKey
ALTER TABLE "ReconciliationTarget" ADD CONSTRAINT "ReconciliationTarget_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ReconciliationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

