import { checkReadiness } from "@/lib/health";

// Readiness: whether this instance should get traffic (lib/health.ts). Public by design (balancers probe it); the
// reasons name only conditions (shutting down, database unreachable, migrations pending, job system stopped).
export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness, {
    status: readiness.ready ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
