-- The inbox's event-type filter reads the types from the hourly rollup (one probe per type in a table that grows
-- with hours, not with events) plus the events the rollup has not reached yet.
CREATE INDEX "WebhookHourly_eventType_idx" ON "WebhookHourly"("eventType");
