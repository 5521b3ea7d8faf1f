"use client";
import dynamic from "next/dynamic";
import type { ComponentProps } from "react";

// recharts (about 110 kB gzip) loads only where a chart draws, after the page is interactive (decision 0055).
const Stacked = dynamic(() => import("./charts").then((chart) => chart.StackedDailyChart), { ssr: false });
const Lines = dynamic(() => import("./charts").then((chart) => chart.DailyLinesChart), { ssr: false });

/** Daily counts stacked by key: the labelled frame now, the bars once recharts has loaded. */
export function StackedDailyChart(props: ComponentProps<typeof Stacked>) {
  return (
    <div className="h-56 w-full" role="img" aria-label={props.label}>
      <Stacked {...props} />
    </div>
  );
}

/** Daily lines on one axis: the labelled frame now, the lines once recharts has loaded. */
export function DailyLinesChart(props: ComponentProps<typeof Lines>) {
  return (
    <div className="h-48 w-full" role="img" aria-label={props.label}>
      <Lines {...props} />
    </div>
  );
}
