"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisTick, utcStamp } from "@/lib/format";

/** Delivery attempts per hour, succeeded and failed; aggregated on the server. */
export function DeliveryHealthChart({
  series,
}: {
  series: { hour: string; succeeded: number; failed: number; p95: number | null }[];
}) {
  if (series.every((point) => point.succeeded + point.failed === 0)) {
    return <p className="py-4 text-sm text-muted-foreground">No delivery attempts in the last 24 hours.</p>;
  }
  return (
    <div className="h-40 w-full" role="img" aria-label="Delivery attempts per hour, succeeded and failed">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" tickFormatter={(value: string) => axisTick(value, "hour")} fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip labelFormatter={(value) => utcStamp(String(value))} />
          <Bar dataKey="succeeded" stackId="attempts" fill="#0f766e" />
          <Bar dataKey="failed" stackId="attempts" fill="#ef4444" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
