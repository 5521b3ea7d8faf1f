import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { age, utc } from "@/lib/travelers/format";
import { gigabytes } from "@/lib/travelers/live";
import {
  currentPackage,
  readingSourceText,
  travelerUsage,
  type EsimDataMeter,
  type PackageUsage,
} from "@/lib/travelers/meters";
import {
  burnRate,
  chartRows,
  projectionLine,
  usagePoints,
  type BurnEstimate,
  type UsagePointSource,
  usageChartAxes,
} from "@/lib/travelers/usage";
import { UsageChart } from "./lazy-charts";

const sourceWords = (dashboard: string): Record<UsagePointSource, string> => ({
  activation: "activation",
  webhook: "Hubby's usage webhook",
  dashboard: `${dashboard} (earlier read)`,
  live: `${dashboard} (live)`,
});

/** The traveler's usage by the shared rule (lib/travelers/meters.ts), with its source and time. */
function usageWords(
  esimData: EsimDataMeter | null,
  current: PackageUsage | null,
  dashboard: string,
  live: boolean,
): string {
  const usage = travelerUsage(esimData, current);
  const currentText = current ? ` Current package: ${current.label}.` : "";
  if (usage && usage.source === "esim" && esimData) {
    return (
      `The eSIM has used ${usage.percent}% of its data (${gigabytes(esimData.leftBytes)} left of ` +
      `${gigabytes(esimData.totalBytes)}), as of ${utc(usage.at)}, from ${dashboard}.${currentText}`
    );
  }
  if (usage && usage.source !== "esim" && current) {
    const source = readingSourceText({ at: usage.at, source: usage.source }, dashboard);
    return `Current package ${current.label}: ${usage.percent}% used, ${source}.`;
  }
  return (
    `No usage known yet${live ? "" : " (Hubby could not be asked for the eSIM's data left)"}: per package, Hubby ` +
    `reports it at 20, 50 and 80%.${currentText}`
  );
}

function burnWords(estimate: BurnEstimate): string {
  const asOf = `as of ${utc(estimate.asOf)}`;
  const rate =
    estimate.percentPerDay !== null
      ? `${estimate.percentPerDay.toFixed(1)}%/day` +
        (estimate.bytesPerDay !== null ? ` (≈ ${gigabytes(Math.round(estimate.bytesPerDay))}/day)` : "")
      : "";
  switch (estimate.status) {
    case "too_few_points":
      return `A burn rate needs two readings; there ${estimate.points === 1 ? "is one" : "are none"} so far${estimate.asOf ? ` (${asOf})` : ""}.`;
    case "used_up":
      return `Used up (${asOf}).`;
    case "not_burning":
      return `No growth in usage between the ${estimate.points} readings (${asOf}): no run-out expected.`;
    case "runs_out_before_expiry":
      return `At ${rate}, the data runs out around ${utc(estimate.runOutAt)}, before the package ends (${utc(estimate.limitAt)}). Estimate from ${estimate.points} readings, ${asOf}.`;
    case "expires_first":
      return `At ${rate}, the package ends (${utc(estimate.limitAt)}) first, with about ${estimate.percentAtExpiry}% used; the data would last until ${utc(estimate.runOutAt)}. Estimate from ${estimate.points} readings, ${asOf}.`;
    case "no_expiry":
      return `At ${rate}, the data runs out around ${utc(estimate.runOutAt)}; the expiry is not known. Estimate from ${estimate.points} readings, ${asOf}.`;
  }
}

/**
 * The traveler's usage (the eSIM's data left when the dashboard gave it, else the current package's latest
 * reading), then per package: usage over time from its readings, and the burn-rate estimate.
 */
export function UsageTab({
  packages: all,
  esimData,
  live,
  dashboard,
  fetchedAt,
}: {
  /** Stored and live packages with their readings (lib/travelers/meters.ts). */
  packages: PackageUsage[];
  esimData: EsimDataMeter | null;
  /** Whether the dashboard answered for this page. */
  live: boolean;
  /** The dashboard's name in source labels. */
  dashboard: string;
  fetchedAt: Date;
}) {
  const current = currentPackage(all, fetchedAt);
  const headline = (
    <p className="text-sm" data-testid="traveler-usage">
      {usageWords(esimData, current, dashboard, live)}
    </p>
  );
  // A dashboard package without an id (Hubby's documented shape) cannot be told apart from the packages the
  // webhooks name, and carries no per-package usage: it has no chart of its own.
  const packages = all.filter((pkg) => pkg.packageId !== null);
  if (packages.length === 0) {
    return (
      <div className="flex flex-col gap-2">
        {headline}
        <p className="text-sm text-muted-foreground">No package with reported usage on this traveler yet.</p>
      </div>
    );
  }
  const words = sourceWords(dashboard);
  // The trip's coverage ends when the last package of its booking expires.
  const tripEnd = new Map<string, string>();
  for (const pkg of packages) {
    if (!pkg.bookingId || !pkg.expiresAt) continue;
    const known = tripEnd.get(pkg.bookingId);
    if (!known || pkg.expiresAt > known) tripEnd.set(pkg.bookingId, pkg.expiresAt);
  }
  return (
    <div className="flex flex-col gap-4">
      {headline}
      <p className="text-xs text-muted-foreground">
        Per package, readings come from Hubby&apos;s 20/50/80% usage webhooks and, where it gives per-package bytes
        (Hubby does not document them), from {dashboard}
        {live ? ` fetched ${utc(fetchedAt)}` : " (not asked this time: Hubby could not be reached)"}; the burn rate is a
        straight line through them, from the activation.
      </p>
      {packages.map((pkg) => {
        const points = usagePoints({ activatedAt: pkg.activatedAt, readings: pkg.readings });
        const tripEndsAt = pkg.bookingId ? (tripEnd.get(pkg.bookingId) ?? null) : null;
        const estimate = burnRate(points, { expiresAt: pkg.expiresAt, tripEndsAt });
        const rows = chartRows(points, projectionLine(points, estimate));
        const latest = points.at(-1);
        return (
          <Card key={pkg.key} data-testid={`usage-${pkg.key}`}>
            <CardHeader>
              <CardTitle className="flex flex-wrap items-center gap-2 font-mono text-sm">
                {pkg.label}
                {pkg.key === current?.key && <Badge variant="info">current</Badge>}
              </CardTitle>
              <CardDescription>
                {latest
                  ? `${latest.percent}% used` +
                    (latest.usedBytes !== null ? ` (${gigabytes(latest.usedBytes)})` : "") +
                    (pkg.totalBytes ? ` of ${gigabytes(pkg.totalBytes)}` : "") +
                    `, as of ${utc(latest.at)} (${age(latest.at, fetchedAt)}, ${words[latest.source]})`
                  : "Not activated yet: no usage."}
                {pkg.expiresAt ? ` · expires ${utc(pkg.expiresAt)}` : ""}
                {tripEndsAt && tripEndsAt !== pkg.expiresAt ? ` · trip covered until ${utc(tripEndsAt)}` : ""}
              </CardDescription>
            </CardHeader>
            {points.length > 0 && (
              <CardContent className="flex flex-col gap-3 text-sm">
                <p data-testid="burn-rate">{burnWords(estimate)}</p>
                {points.length > 1 && (
                  <UsageChart
                    label={pkg.label}
                    rows={rows}
                    // Only when it ends the projection: an expiry months away would squash the readings.
                    endsAt={
                      estimate.status === "expires_first" && estimate.limitAt ? Date.parse(estimate.limitAt) : null
                    }
                    gbDomain={
                      points.some((point) => point.usedBytes !== null && point.source !== "activation")
                        ? usageChartAxes(points, pkg.totalBytes).gb
                        : null
                    }
                  />
                )}
                <table className="w-full max-w-xl text-xs">
                  <caption className="sr-only">Usage readings for {pkg.label}</caption>
                  <thead className="text-left text-muted-foreground">
                    <tr>
                      <th className="font-normal">time</th>
                      <th className="font-normal">used</th>
                      <th className="font-normal">bytes</th>
                      <th className="font-normal">source</th>
                    </tr>
                  </thead>
                  <tbody>
                    {points.map((point) => (
                      <tr key={`${point.at}-${point.source}`}>
                        <td>{utc(point.at)}</td>
                        <td>{point.percent}%</td>
                        <td>{point.usedBytes !== null ? gigabytes(point.usedBytes) : "—"}</td>
                        <td>{words[point.source]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </CardContent>
            )}
          </Card>
        );
      })}
    </div>
  );
}
