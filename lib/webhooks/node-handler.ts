import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ingestWebhook, MAX_WEBHOOK_BYTES, type IntakeResult } from "./intake";
import type { HeaderReader } from "./verify";

/**
 * Hubby's webhook receiver, `POST /api/webhooks/hubby`, as a plain node:http handler. scripts/server.ts calls it
 * ahead of Next.js in the same process and on the same port: the Next.js request pipeline costs several times the
 * intake itself (see README "Webhooks from Hubby: measured"). It is outside proxy.ts by construction and never
 * redirects; authentication is lib/webhooks/verify.ts on the raw bytes, not a staff session.
 */

export const WEBHOOK_PATH = "/api/webhooks/hubby";

/** True for every request this handler owns: the webhook path, with or without a query string, any method. */
export function isWebhookRequest(request: IncomingMessage): boolean {
  const url = request.url ?? "";
  return url === WEBHOOK_PATH || url.startsWith(`${WEBHOOK_PATH}?`);
}

export async function handleWebhookRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== "POST") {
    return send(response, { status: 405, body: { error: "Method not allowed: use POST." } }, { allow: "POST" });
  }
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > MAX_WEBHOOK_BYTES) return refuseTooLarge(response);
  const body = await readCapped(request, MAX_WEBHOOK_BYTES);
  if (body === "aborted") return;
  if (body === "too-large") return refuseTooLarge(response);

  // node:http already lowercases header names; a view over them costs less than copying into a Headers object.
  const headers: HeaderReader = {
    get(name) {
      const value = request.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip") || request.socket.remoteAddress || null;
  let result: IntakeResult;
  try {
    result = await ingestWebhook(headers, body, ip);
  } catch (error) {
    console.error("[webhooks] intake failed:", error);
    result = { status: 503, body: { error: "Temporarily unable to store the event; retry later." } };
  }
  send(response, result);
}

/**
 * Reads the body, stopping as soon as it passes the cap, so a huge body is never buffered whole. "aborted" when
 * the sender went away before the end (nothing to answer).
 */
function readCapped(request: IncomingMessage, cap: number): Promise<Buffer | "too-large" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        finish("too-large");
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onAborted = () => finish("aborted");
    const finish = (outcome: Buffer | "too-large" | "aborted") => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onAborted);
      request.off("close", onClose);
      resolve(outcome);
    };
    const onClose = () => {
      if (!request.complete) finish("aborted");
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onAborted);
    request.on("close", onClose);
  });
}

/** 413 with `connection: close`: node:http closes the socket once it is sent, so the sender cannot stream on. */
function refuseTooLarge(response: ServerResponse) {
  send(
    response,
    { status: 413, body: { error: `Body larger than ${MAX_WEBHOOK_BYTES} bytes.` } },
    { connection: "close" },
  );
}

function send(response: ServerResponse, result: IntakeResult, extra: Record<string, string> = {}) {
  const json = JSON.stringify(result.body);
  response.writeHead(result.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(json),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...extra,
  });
  response.end(json);
}
