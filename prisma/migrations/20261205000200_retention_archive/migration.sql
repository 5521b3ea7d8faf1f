-- CreateTable
CREATE TABLE "RetentionArchive" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "monthStart" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT NOT NULL,
    "store" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verifiedAt" TIMESTAMPTZ(3),
    "dropStartedAt" TIMESTAMPTZ(3),
    "droppedAt" TIMESTAMPTZ(3),

    CONSTRAINT "RetentionArchive_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RetentionArchive_createdAt_idx" ON "RetentionArchive"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RetentionArchive_kind_monthStart_key" ON "RetentionArchive"("kind", "monthStart");

