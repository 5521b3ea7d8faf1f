import { ingestWebhook, MAX_WEBHOOK_BYTES } from "@/lib/webhooks/intake";

// Hubby's webhook receiver as a Next.js route: the fallback when Next.js runs without scripts/server.ts (e.g.
// `next dev` directly). `npm run dev` and `npm start` answer this path in lib/webhooks/node-handler.ts before
// Next.js sees the request; both call the same intake. Outside proxy.ts (never a redirect); authenticated by
// lib/webhooks/verify.ts, not by a staff session: Hubby is the caller.
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_WEBHOOK_BYTES) return tooLarge();
  const body = await readCapped(request, MAX_WEBHOOK_BYTES);
  if (!body) return tooLarge();
  const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? request.headers.get("x-real-ip");
  try {
    const result = await ingestWebhook(request.headers, body, ip ?? null);
    return Response.json(result.body, { status: result.status });
  } catch (error) {
    console.error("[webhooks] intake failed:", error);
    return Response.json({ error: "Temporarily unable to store the event; retry later." }, { status: 503 });
  }
}

/** Reads the body, stopping as soon as it passes the cap (so a huge body is never buffered whole). */
async function readCapped(request: Request, cap: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge() {
  return Response.json({ error: `Body larger than ${MAX_WEBHOOK_BYTES} bytes.` }, { status: 413 });
}
