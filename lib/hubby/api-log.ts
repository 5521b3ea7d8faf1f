import "server-only";
import { db } from "../db";
import type { HubbyEnvironment } from "../env";
import type { Prisma } from "../generated/prisma/client";
import type { ApiCallRecord } from "./client";

const MAX_MESSAGE = 1_000;
/** A background call's entry waits at most this long, so a busy campaign writes its log in batches. */
const BACKGROUND_FLUSH_MS = 250;
const MAX_BATCH = 500;

type Entry = { row: Prisma.ApiCallCreateManyInput; done: () => void; failed: (error: unknown) => void };

/**
 * The queue lives on globalThis like the database: scripts/server.ts (which flushes it on shutdown) and Next.js's
 * bundle of this module are two module instances in one process.
 */
type LogQueue = { entries: Entry[]; draining: Promise<void> | null; timer: NodeJS.Timeout | null };
const state = ((globalThis as { __consoleApiLogQueue?: LogQueue }).__consoleApiLogQueue ??= {
  entries: [],
  draining: null,
  timer: null,
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

/** Writes everything queued, one INSERT per batch; entries queued meanwhile go in the next batch (group commit). */
function drain(): Promise<void> {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  if (!state.draining && state.entries.length === 0) return Promise.resolve();
  state.draining ??= (async () => {
    await null; // never settle synchronously: `draining` must be set before it is cleared
    while (state.entries.length > 0) {
      const batch = state.entries.splice(0, MAX_BATCH);
      try {
        await db().apiCall.createMany({ data: batch.map((entry) => entry.row) });
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.failed(error);
      }
    }
    state.draining = null;
  })();
  return state.draining;
}

/**
 * Writes one HTTP attempt to the ApiCall table. Only what the client recorded: never headers, secret or body.
 * A call someone waits on is written at once (with whatever else is queued); a background call's entry within
 * BACKGROUND_FLUSH_MS, batched with its neighbours. The promise settles when the entry is stored.
 */
export function recordApiCall(record: ApiCallRecord, environment: HubbyEnvironment): Promise<void> {
  const stored = new Promise<void>((done, failed) =>
    state.entries.push({ row: rowOf(record, environment), done, failed }),
  );
  if (!record.context.background || state.entries.length >= MAX_BATCH) void drain();
  else state.timer ??= setTimeout(() => void drain(), BACKGROUND_FLUSH_MS).unref();
  return stored;
}

/** Stores every queued entry (a graceful shutdown calls this before closing the database). */
export async function flushApiLog(): Promise<void> {
  while (state.entries.length > 0 || state.draining) await drain();
}
