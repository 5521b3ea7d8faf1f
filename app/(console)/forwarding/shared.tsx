import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import type { EndpointHealth } from "@/lib/forwarding/queries";
import { utcStamp } from "@/lib/format";

/** The loud part: endpoints the console disabled, and why, until someone enables them again. */
export function DisabledBanner({
  endpoints,
}: {
  endpoints: { id: number; url: string; disabledAt: Date | null; disabledReason: string | null; readOnly: boolean }[];
}) {
  if (endpoints.length === 0) return null;
  return (
    <div
      role="alert"
      className="flex flex-col gap-1 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:bg-red-900/40 dark:text-red-100"
    >
      <p className="flex items-center gap-2 font-semibold">
        <AlertTriangle className="h-4 w-4" aria-hidden />
        {endpoints.length === 1 ? "An endpoint was disabled" : `${endpoints.length} endpoints were disabled`}: nothing
        is delivered to {endpoints.length === 1 ? "it" : "them"} until enabled again. Events keep waiting.
      </p>
      <ul className="list-disc pl-6">
        {endpoints.map((endpoint) => (
          <li key={endpoint.id}>
            <Link href={`/forwarding/endpoints/${endpoint.id}`} className="font-mono text-xs underline">
              {endpoint.url}
            </Link>{" "}
            since {utcStamp(endpoint.disabledAt)}: {endpoint.disabledReason}{" "}
            {endpoint.readOnly ? (
              <span>Declared in HUBBY_FORWARD_ENDPOINTS, so it is not re-enabled from the console.</span>
            ) : (
              <Link href={`/forwarding/endpoints/${endpoint.id}#settings-heading`} className="font-medium underline">
                Re-enable
              </Link>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function formatHealth(health: EndpointHealth | undefined): string {
  if (!health || health.attempts === 0) return "no attempts";
  const rate = `${((health.successRate ?? 0) * 100).toFixed(1)}% of ${health.attempts}`;
  return `${rate} · p95 ${health.p95LatencyMs ?? "—"} ms`;
}
