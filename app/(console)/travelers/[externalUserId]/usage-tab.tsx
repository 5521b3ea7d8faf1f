import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { age, utc } from "@/lib/travelers/format";
import { gigabytes, type LivePackage } from "@/lib/travelers/live";
import type { StoredTraveler } from "@/lib/travelers/traveler";
import {
  burnRate,
  chartRows,
  projectionLine,
  usagePoints,
  type BurnEstimate,
  type UsagePoint,
  type UsageReading,
} from "@/lib/travelers/usage";
import { UsageChart } from "./usage-chart";

type PackageUsage = {
  key: string;
  label: string;
  bookingId: string | null;
  activatedAt: string | null;
  expiresAt: string | null;
  totalBytes: number | null;
  samples: UsageReading[];
  live: UsageReading | null;
};

const sourceWords: Record<UsagePoint["source"], string> = {
  activation: "activation",
  webhook: "webhook",
  live: "live (Hubby)",
};

/** Stored packages and the live snapshot, one entry per package (live packages without an id stand alone). */
function packagesFor(
  stored: StoredTraveler["packages"],
  live: LivePackage[] | null,
  samples: Map<string, UsageReading[]>,
  fetchedAt: Date,
): PackageUsage[] {
  const result = new Map<string, PackageUsage>();
  for (const pkg of stored) {
    result.set(pkg.packageId, {
      key: pkg.packageId,
      label: [pkg.destination ?? "?", pkg.size, pkg.packageId].filter(Boolean).join(" · "),
      bookingId: pkg.bookingId,
      activatedAt: pkg.activatedAt?.toISOString() ?? null,
      expiresAt: pkg.expiresAt?.toISOString() ?? null,
      totalBytes: pkg.usedBytes !== null && pkg.remainingBytes !== null ? pkg.usedBytes + pkg.remainingBytes : null,
      samples: samples.get(pkg.packageId) ?? [],
      live: null,
    });
  }
  (live ?? []).forEach((pkg, index) => {
    const key = pkg.id ?? `live-${index}`;
    const known = result.get(key);
    const reading =
      pkg.totalBytes && pkg.usedBytes !== null
        ? { at: fetchedAt.toISOString(), percent: (pkg.usedBytes / pkg.totalBytes) * 100, usedBytes: pkg.usedBytes }
        : null;
    result.set(key, {
      key,
      label: known?.label ?? [pkg.destination ?? "?", pkg.id].filter(Boolean).join(" · "),
      bookingId: pkg.bookingId ?? known?.bookingId ?? null,
      activatedAt: pkg.activatedAt ?? known?.activatedAt ?? null,
      expiresAt: pkg.expiresAt ?? known?.expiresAt ?? null,
      totalBytes: pkg.totalBytes ?? known?.totalBytes ?? null,
      samples: known?.samples ?? (pkg.id ? (samples.get(pkg.id) ?? []) : []),
      live: reading,
    });
  });
  return [...result.values()].sort((a, b) => (b.activatedAt ?? "").localeCompare(a.activatedAt ?? ""));
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

/** Per package: usage over time from stored samples plus the live snapshot, and the burn-rate estimate. */
export function UsageTab({
  stored,
  live,
  samples,
  fetchedAt,
}: {
  stored: StoredTraveler["packages"];
  live: LivePackage[] | null;
  samples: Map<string, UsageReading[]>;
  fetchedAt: Date;
}) {
  const packages = packagesFor(stored, live, samples, fetchedAt);
  if (packages.length === 0) {
    return <p className="text-sm text-muted-foreground">No package on this traveler yet, so no usage.</p>;
  }
  // The trip's coverage ends when the last package of its booking expires.
  const tripEnd = new Map<string, string>();
  for (const pkg of packages) {
    if (!pkg.bookingId || !pkg.expiresAt) continue;
    const current = tripEnd.get(pkg.bookingId);
    if (!current || pkg.expiresAt > current) tripEnd.set(pkg.bookingId, pkg.expiresAt);
  }
  return (
    <div className="flex flex-col gap-4">
      <p className="text-xs text-muted-foreground">
        Readings come from Hubby&apos;s 20/50/80% webhooks, earlier dashboard reads and{" "}
        {live ? `the live dashboard fetched ${utc(fetchedAt)}` : "no live reading (Hubby could not be asked)"}; the burn
        rate is a straight line through them, from the activation.
      </p>
      {packages.map((pkg) => {
        const points = usagePoints({ activatedAt: pkg.activatedAt, samples: pkg.samples, live: pkg.live });
        const tripEndsAt = pkg.bookingId ? (tripEnd.get(pkg.bookingId) ?? null) : null;
        const estimate = burnRate(points, { expiresAt: pkg.expiresAt, tripEndsAt });
        const rows = chartRows(points, projectionLine(points, estimate));
        const latest = points.at(-1);
        return (
          <Card key={pkg.key} data-testid={`usage-${pkg.key}`}>
            <CardHeader>
              <CardTitle className="font-mono text-sm">{pkg.label}</CardTitle>
              <CardDescription>
                {latest
                  ? `${latest.percent}% used` +
                    (latest.usedBytes !== null ? ` (${gigabytes(latest.usedBytes)})` : "") +
                    (pkg.totalBytes ? ` of ${gigabytes(pkg.totalBytes)}` : "") +
                    `, as of ${utc(latest.at)} (${age(latest.at, fetchedAt)}, ${sourceWords[latest.source]})`
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
                    showBytes={points.some((point) => point.usedBytes !== null && point.source !== "activation")}
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
                        <td>{sourceWords[point.source]}</td>
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
