import "server-only";
import { appVersion, getEnv, hubbyConnection } from "../env";
import { getRequestId } from "../request-id";
import { recordApiCall } from "./api-log";
import { HubbyClient } from "./client";

export { HubbyApiError } from "./errors";
export type { CallContext, InstructionsRequest, ListBookingsParams } from "./client";

/** Who a call is made for, as the API log records it (a staff member, or null for background work). */
type Caller = { id: string; email: string } | null;

let shared: HubbyClient | undefined;

/** The process-wide client (one keep-alive pool), configured from the environment, logging to ApiCall. */
function sharedClient(): HubbyClient {
  if (!shared) {
    const env = getEnv();
    const connection = hubbyConnection(env);
    shared = new HubbyClient({
      baseUrl: connection.baseUrl,
      apiKey: connection.apiKey,
      apiSecret: connection.apiSecret,
      signedPath: connection.signedPath,
      connectTimeoutMs: env.HUBBY_CONNECT_TIMEOUT_MS,
      timeoutMs: env.HUBBY_TIMEOUT_MS,
      getRetries: env.HUBBY_GET_RETRIES,
      userAgent: `hubby-partner-console/${appVersion}`,
      recorder: (record) => recordApiCall(record, connection.environment),
    });
  }
  return shared;
}

/**
 * The client for a server action or server component: calls are logged with the staff member and the request
 * id. Only server code can import this module ("server-only"), so the secret never reaches a browser bundle.
 */
export async function hubbyFor(staff: Caller): Promise<HubbyClient> {
  return sharedClient().withContext({
    staffId: staff?.id,
    staffEmail: staff?.email,
    requestId: await getRequestId(),
  });
}

/**
 * The client for a page render: everything the page (and the widgets it streams) asks Hubby shares one budget
 * (HUBBY_PAGE_BUDGET_MS, 5 s), after which the page shows stored state with the banner. Background work and
 * server actions keep the per-call budgets of hubbyFor.
 */
export async function hubbyForPage(staff: Caller): Promise<HubbyClient> {
  return (await hubbyFor(staff)).withDeadline(getEnv().HUBBY_PAGE_BUDGET_MS);
}

/** Tests change the environment between cases. */
export function resetHubbyClient() {
  shared = undefined;
}
