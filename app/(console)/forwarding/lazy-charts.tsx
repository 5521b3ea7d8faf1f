"use client";
import dynamic from "next/dynamic";
import type { ComponentProps } from "react";

// recharts (about 110 kB gzip) loads only where a chart draws, after the page is interactive (decision 0055).
const Bars = dynamic(() => import("./health-chart").then((chart) => chart.DeliveryHealthChart), { ssr: false });

/** Delivery attempts per hour: the labelled frame now, the bars once recharts has loaded; no recharts when idle. */
export function DeliveryHealthChart(props: ComponentProps<typeof Bars>) {
  if (props.series.every((point) => point.succeeded + point.failed === 0)) {
    return <p className="py-4 text-sm text-muted-foreground">No delivery attempts in the last 24 hours.</p>;
  }
  return (
    <div className="h-40 w-full" role="img" aria-label="Delivery attempts per hour, succeeded and failed">
      <Bars {...props} />
    </div>
  );
}
