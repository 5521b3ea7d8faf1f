// Liveness: the process answers HTTP. Public by design (orchestrators probe it); it reveals nothing.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "live" }, { headers: { "Cache-Control": "no-store" } });
}
