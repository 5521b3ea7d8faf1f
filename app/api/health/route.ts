import { checkHealth } from "@/lib/health";

// Public by design (load balancers probe it); it reveals only reachability, whether jobs run, and the version.
export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth();
  return Response.json(health, {
    status: health.status === "unavailable" ? 503 : 200,
    headers: { "Cache-Control": "no-store" },
  });
}
