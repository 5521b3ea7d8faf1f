import { checkHealth } from "@/lib/health";

// Public by design (load balancers probe it); it reveals only reachability and the version.
export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
