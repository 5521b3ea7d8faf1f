import { CappedBody, receiveWebhook } from "@/lib/webhooks/receiver";

// The webhook receiver (lib/webhooks/receiver.ts) as a Next.js route: the fallback when Next.js runs without
// scripts/server.ts (e.g. `next dev` directly). `npm run dev` and `npm start` answer this path in
// lib/webhooks/node-handler.ts before Next.js sees the request. Outside proxy.ts (never a redirect); authenticated
// by lib/webhooks/verify.ts, not by a staff session: Hubby is the caller. Only POST is exported, so Next.js answers
// other methods with 405 itself.
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const reply = await receiveWebhook({
    method: request.method,
    headers: request.headers,
    // A route does not see the socket: the address comes from the forwarded headers or stays unknown.
    remoteAddress: null,
    readBody: (cap) => readCapped(request, cap),
  });
  // A route always answers; a sender that went away does not read it.
  if (!reply) return new Response(null, { status: 400 });
  return new Response(reply.json, { status: reply.status, headers: reply.headers });
}

/** Reads the body, stopping (and cancelling the rest) as soon as it passes the cap. */
async function readCapped(request: Request, cap: number): Promise<Buffer | "too-large" | "aborted"> {
  const body = new CappedBody(cap);
  if (!request.body) return body.bytes();
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return body.bytes();
      if (!body.add(value)) {
        await reader.cancel().catch(() => undefined);
        return "too-large";
      }
    }
  } catch {
    return "aborted";
  }
}
