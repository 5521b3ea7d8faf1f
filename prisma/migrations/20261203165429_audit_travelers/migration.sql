-- CreateTable
CREATE TABLE "AuditTraveler" (
    "auditEntryId" BIGINT NOT NULL,
    "externalUserId" TEXT NOT NULL,

    CONSTRAINT "AuditTraveler_pkey" PRIMARY KEY ("externalUserId","auditEntryId")
);

-- CreateIndex
CREATE INDEX "AuditTraveler_auditEntryId_idx" ON "AuditTraveler"("auditEntryId");

-- AddForeignKey
ALTER TABLE "AuditTraveler" ADD CONSTRAINT "AuditTraveler_auditEntryId_fkey" FOREIGN KEY ("auditEntryId") REFERENCES "AuditEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

