-- CreateTable
CREATE TABLE "ApiCall" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "environment" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER,
    "ok" BOOLEAN NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "errorKind" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "requestId" TEXT NOT NULL,
    "staffId" UUID,
    "staffEmail" TEXT,
    "externalUserId" TEXT,

    CONSTRAINT "ApiCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApiCall_at_idx" ON "ApiCall"("at");

-- CreateIndex
CREATE INDEX "ApiCall_endpoint_at_idx" ON "ApiCall"("endpoint", "at");

-- CreateIndex
CREATE INDEX "ApiCall_externalUserId_at_idx" ON "ApiCall"("externalUserId", "at");

-- CreateIndex
CREATE INDEX "ApiCall_requestId_idx" ON "ApiCall"("requestId");

