import crypto from "node:crypto";
import { getEnv } from "@/lib/env";
import { metrics } from "@/lib/metrics";
import { refreshDatabaseGauges } from "./database-gauges";

// Prometheus scrape endpoint (lib/metrics.ts). Off (404, as if it did not exist) unless METRICS_TOKEN is set; then
// only `Authorization: Bearer <METRICS_TOKEN>` gets the metrics. Not a staff screen: the scraper has no session,
// and the metrics hold counts and latencies only, no personal data.
export const dynamic = "force-dynamic";

function bearerMatches(header: string | null, token: string): boolean {
  const given = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? "";
  const digest = (value: string) => crypto.createHash("sha256").update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

export async function GET(request: Request) {
  const token = getEnv().METRICS_TOKEN;
  if (!token) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });
  if (!bearerMatches(request.headers.get("authorization"), token)) {
    return new Response("Unauthorized: send Authorization: Bearer <METRICS_TOKEN>.", {
      status: 401,
      headers: { "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  await refreshDatabaseGauges();
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
