import "server-only";
import { db } from "../db";
import type { HubbyEnvironment } from "../env";
import type { Prisma } from "../generated/prisma/client";
import { namedBatcher } from "../jobs/batcher";
import type { ApiCallRecord } from "./client";

const MAX_MESSAGE = 1_000;

/**
 * The log's writes go through the job system's group commit (lib/jobs/batcher.ts): a background call's entry waits
 * at most 250 ms for its neighbours, so a busy campaign writes its log in batches of up to 500 rows.
 */
const log = namedBatcher<Prisma.ApiCallCreateManyInput>("api-log", {
  flushMs: 250,
  maxBatch: 500,
  write: async (rows) => {
    await db().apiCall.createMany({ data: rows });
  },
});

function rowOf(record: ApiCallRecord, environment: HubbyEnvironment): Prisma.ApiCallCreateManyInput {
  return {
    environment,
    method: record.method,
    endpoint: record.endpoint,
    path: record.path.slice(0, 2_000),
    status: record.status,
    ok: record.ok,
    durationMs: record.durationMs,
    attempt: record.attempt,
    errorKind: record.errorKind ?? null,
    errorCode: record.errorCode?.slice(0, 100) ?? null,
    errorMessage: record.errorMessage?.slice(0, MAX_MESSAGE) ?? null,
    requestId: record.requestId,
    staffId: record.context.staffId ?? null,
    staffEmail: record.context.staffEmail ?? null,
    externalUserId: record.externalUserId?.slice(0, 200) ?? null,
  };
}

/**
 * Writes one HTTP attempt to the ApiCall table. Only what the client recorded: never headers, secret or body.
 * A call someone waits on is written at once (with whatever else is queued); a background call's entry within
 * BACKGROUND_FLUSH_MS, batched with its neighbours. The promise settles when the entry is stored.
 */
export function recordApiCall(record: ApiCallRecord, environment: HubbyEnvironment): Promise<void> {
  return log.add(rowOf(record, environment), { now: !record.context.background });
}

/** Stores every queued entry (a graceful shutdown calls this before closing the database). */
export function flushApiLog(): Promise<void> {
  return log.flush();
}
