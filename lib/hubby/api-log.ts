import "server-only";
import { db } from "../db";
import type { HubbyEnvironment } from "../env";
import type { ApiCallRecord } from "./client";

const MAX_MESSAGE = 1_000;

/** Writes one HTTP attempt to the ApiCall table. Only what the client recorded: never headers, secret or body. */
export async function recordApiCall(record: ApiCallRecord, environment: HubbyEnvironment): Promise<void> {
  await db().apiCall.create({
    data: {
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
    },
  });
}
