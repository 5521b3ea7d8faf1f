"use client";
import dynamic from "next/dynamic";
import type { ComponentProps } from "react";

// recharts (about 110 kB gzip) loads only on the usage tab, where a chart draws, after the page is interactive
// (decision 0055).
const Lines = dynamic(() => import("./usage-chart").then((chart) => chart.UsageChart), { ssr: false });

/** Data used over time: the labelled frame now, the lines once recharts has loaded. */
export function UsageChart(props: ComponentProps<typeof Lines>) {
  return (
    <div className="h-56 w-full" role="img" aria-label={`Data used over time, ${props.label}`}>
      <Lines {...props} />
    </div>
  );
}
