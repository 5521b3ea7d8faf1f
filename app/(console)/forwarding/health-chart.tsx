"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisTick, utcStamp } from "@/lib/format";

/** Delivery attempts per hour, drawn (recharts); ./lazy-charts.tsx loads it on demand, with the frame and its label. */
export function DeliveryHealthChart({
  series,
}: {
  series: { hour: string; succeeded: number; failed: number; p95: number | null }[];
}) {
  return (
    <div className="h-full w-full">
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
