import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CappedBody, receiveWebhook, WEBHOOK_PATH } from "./receiver";
import type { HeaderReader } from "./verify";

/**
 * The webhook receiver (lib/webhooks/receiver.ts) on node:http: scripts/server.ts calls it ahead of Next.js in the
 * same process and on the same port, because the Next.js request pipeline costs several times the intake itself
 * (docs/guide.md, "Webhooks from Hubby", "Measured", docs/decisions/0003-custom-http-server.md). Outside proxy.ts by
 * construction; never redirects.
 */

export { WEBHOOK_PATH };

/** True for every request this handler owns: the webhook path, with or without a query string, any method. */
export function isWebhookRequest(request: IncomingMessage): boolean {
  const url = request.url ?? "";
  return url === WEBHOOK_PATH || url.startsWith(`${WEBHOOK_PATH}?`);
}

export async function handleWebhookRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
  // node:http already lowercases header names; a view over them costs less than copying into a Headers object.
  const headers: HeaderReader = {
    get(name) {
      const value = request.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
  const reply = await receiveWebhook({
    method: request.method ?? "GET",
    headers,
    remoteAddress: request.socket.remoteAddress ?? null,
    readBody: (cap) => readCapped(request, cap),
  });
  if (!reply) return;
  response.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.json) });
  response.end(reply.json);
}

/**
 * Reads the body, stopping as soon as it passes the cap. Listens to events rather than iterating the stream:
 * leaving an async iteration early destroys the request, and with it the socket the 413 must still go out on.
 */
function readCapped(request: IncomingMessage, cap: number): Promise<Buffer | "too-large" | "aborted"> {
  return new Promise((resolve) => {
    const body = new CappedBody(cap);
    const onData = (chunk: Buffer) => {
      if (!body.add(chunk)) finish("too-large");
    };
    const onEnd = () => finish(body.bytes());
    const onAborted = () => finish("aborted");
    const onClose = () => {
      if (!request.complete) finish("aborted");
    };
    const finish = (outcome: Buffer | "too-large" | "aborted") => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onAborted);
      request.off("close", onClose);
      resolve(outcome);
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onAborted);
    request.on("close", onClose);
  });
}
