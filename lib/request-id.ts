import crypto from "node:crypto";
import { headers } from "next/headers";

export const REQUEST_ID_HEADER = "x-request-id";

/** The id proxy.ts put on the request (also sent back to the browser), or a fresh one outside a request. */
export async function getRequestId(): Promise<string> {
  try {
    const value = (await headers()).get(REQUEST_ID_HEADER);
    if (value && /^[A-Za-z0-9-]{8,64}$/.test(value)) return value;
  } catch {
    // Outside a request (scripts, tests).
  }
  return crypto.randomUUID();
}
