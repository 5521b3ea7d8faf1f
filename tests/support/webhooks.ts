import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";

export const WEBHOOK_KEY = "whk_integration_key";
export const SIGNING_SECRET = "whsec_integration";

export function envelope(event: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ event, timestamp: "2026-07-15T14:30:00Z", data, ...extra });
}

export function sign(body: string, timestamp = String(Math.floor(Date.now() / 1000)), secret = SIGNING_SECRET) {
  return `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** A request for the Next.js route fallback (app/api/webhooks/hubby/route.ts). */
export function webhookRequest(body: string, headers: Record<string, string> = {}) {
  return new Request("http://console.test/api/webhooks/hubby", {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": WEBHOOK_KEY, ...headers },
    body,
  });
}

export type Delivery = { status: number; json: Record<string, unknown> };

/**
 * The production receiver (lib/webhooks/node-handler.ts) on a loopback port, as scripts/server.ts serves it.
 * `deliver` posts a body (a string, exact bytes, or chunks sent with chunked encoding and no length); a header
 * given as "" is left out.
 */
export async function startNodeReceiver() {
  const { handleWebhookRequest } = await import("@/lib/webhooks/node-handler");
  const server = http.createServer((request, response) => void handleWebhookRequest(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const deliver = (body: string | Buffer | Uint8Array[], headers: Record<string, string> = {}) =>
    new Promise<Delivery>((resolve, reject) => {
      const merged: Record<string, string> = {
        "content-type": "application/json",
        "x-api-key": WEBHOOK_KEY,
        ...headers,
      };
      for (const name of Object.keys(merged)) if (merged[name] === "") delete merged[name];
      let answered = false;
      const request = http.request(
        { host: "127.0.0.1", port, path: "/api/webhooks/hubby", method: "POST", headers: merged, agent: false },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: response.statusCode ?? 0, json: text ? (JSON.parse(text) as Delivery["json"]) : {} });
          });
        },
      );
      // After a 413 the receiver closes the connection while the rest of the body is still being sent.
      request.on("error", (error) => (answered ? undefined : reject(error)));
      if (!Array.isArray(body)) {
        request.end(body);
        return;
      }
      void (async () => {
        for (const chunk of body) {
          if (request.destroyed) return;
          request.write(chunk);
          await new Promise((next) => setImmediate(next));
        }
        request.end();
      })();
    });
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/hubby`,
    deliver,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * For one test file: the production receiver (startNodeReceiver) with the console's webhook key set to WEBHOOK_KEY,
 * started before the file's tests and closed after them. The returned object is filled in by beforeAll.
 */
export function nodeReceiverPerFile() {
  const harness = {} as { receiver: Awaited<ReturnType<typeof startNodeReceiver>> };
  beforeAll(async () => {
    process.env.HUBBY_WEBHOOK_API_KEY = WEBHOOK_KEY;
    resetEnvCache();
    harness.receiver = await startNodeReceiver();
  });
  afterAll(async () => {
    await harness.receiver?.close();
    delete process.env.HUBBY_WEBHOOK_API_KEY;
    resetEnvCache();
  });
  return harness;
}
