import type { ReactNode } from "react";
import { Bar } from "@/components/ui/bar";
import { utc } from "@/lib/travelers/format";
import { gigabytes } from "@/lib/travelers/live";
import { readingSourceText, type EsimDataMeter, type PackageUsage } from "@/lib/travelers/meters";

// The traveler page's meters. Server components: every label is text in the page, with its source and time.

/** A meter with its figures written under it (the caption is the children, so it stays text in the page). */
function CaptionedMeter({
  label,
  percent,
  testId,
  children,
}: {
  label: string;
  percent: number;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <Bar role="meter" label={label} percent={percent} />
      <span className="text-xs text-muted-foreground" data-testid={testId}>
        {children}
      </span>
    </div>
  );
}

/** One package's usage: used of total when the reading has bytes, else the share; always with its source. */
export function UsageMeter({
  percent,
  usedBytes,
  totalBytes,
  label,
  source,
}: {
  percent: number;
  usedBytes: number | null;
  totalBytes: number | null;
  label: string;
  source: string;
}) {
  const shown = Math.min(100, Math.max(0, Math.round(percent)));
  return (
    <CaptionedMeter label={label} percent={shown} testId="package-usage">
      {usedBytes !== null && totalBytes
        ? `${gigabytes(usedBytes)} used of ${gigabytes(totalBytes)} (${shown}%)`
        : `${shown}% used`}
      , {source}
    </CaptionedMeter>
  );
}

/** The eSIM's data left of its total: the one data meter Hubby documents (reference §4.5). */
export function DataLeftMeter({ meter }: { meter: EsimDataMeter }) {
  return (
    <CaptionedMeter
      label="Data left on the eSIM"
      percent={Math.round((meter.leftBytes / meter.totalBytes) * 100)}
      testId="esim-data-left"
    >
      {gigabytes(meter.leftBytes)} left of {gigabytes(meter.totalBytes)} ({meter.usedPercent}% used), as of{" "}
      {utc(meter.at)}
    </CaptionedMeter>
  );
}

/** A package's meter, where its usage is known; says so where it is not. */
export function PackageMeter({ pkg, dashboard }: { pkg: PackageUsage; dashboard: string }) {
  if (!pkg.latest) {
    return (
      <span className="text-xs text-muted-foreground">
        No usage reported for this package yet (Hubby reports it per package at 20, 50 and 80%).
      </span>
    );
  }
  return (
    <UsageMeter
      percent={pkg.latest.percent}
      usedBytes={pkg.latest.usedBytes}
      totalBytes={pkg.totalBytes}
      label={`Data used, ${pkg.destination ?? pkg.label}`}
      source={readingSourceText(pkg.latest, dashboard)}
    />
  );
}
