"use client";
import dynamic from "next/dynamic";
import type { ComponentProps } from "react";

// recharts (about 110 kB gzip) loads only where a chart draws, after the page is interactive (decision 0055).
const Bars = dynamic(() => import("./health-chart").then((chart) => chart.EventsPerHourChart), { ssr: false });

/** Events per hour by type: the labelled frame now, the bars once recharts has loaded; no recharts without events. */
export function EventsPerHourChart(props: ComponentProps<typeof Bars>) {
  if (props.types.length === 0) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No events in this period.</p>;
  }
  return (
    <div className="h-56 w-full" role="img" aria-label="Webhook events per hour by event type">
      <Bars {...props} />
    </div>
  );
}
