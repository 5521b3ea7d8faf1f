-- CreateTable
CREATE TABLE "AlertRule" (
    "key" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '',
    "remindHours" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedById" UUID,
    "updatedByEmail" TEXT,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AlertIncident" (
    "id" BIGSERIAL NOT NULL,
    "ruleKey" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "openScope" TEXT,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "details" JSONB,
    "openedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastNotifiedAt" TIMESTAMPTZ(3) NOT NULL,
    "reminders" INTEGER NOT NULL DEFAULT 0,
    "resolvedAt" TIMESTAMPTZ(3),
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedById" UUID,
    "acknowledgedByEmail" TEXT,
    "acknowledgedByName" TEXT,
    "deliveryError" TEXT,

    CONSTRAINT "AlertIncident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertSubscription" (
    "staffId" UUID NOT NULL,
    "ruleKey" TEXT NOT NULL,
    "email" BOOLEAN NOT NULL,

    CONSTRAINT "AlertSubscription_pkey" PRIMARY KEY ("staffId","ruleKey")
);

-- CreateTable
CREATE TABLE "AlertReadMark" (
    "staffId" UUID NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlertReadMark_pkey" PRIMARY KEY ("staffId")
);

-- CreateIndex
CREATE INDEX "AlertIncident_openedAt_idx" ON "AlertIncident"("openedAt");

-- CreateIndex
CREATE INDEX "AlertIncident_resolvedAt_idx" ON "AlertIncident"("resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertIncident_ruleKey_openScope_key" ON "AlertIncident"("ruleKey", "openScope");

