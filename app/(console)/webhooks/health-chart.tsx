"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisTick, utcStamp } from "@/lib/format";

const palette = [
  "#0f766e",
  "#6366f1",
  "#f59e0b",
  "#ef4444",
  "#0ea5e9",
  "#84cc16",
  "#a855f7",
  "#ec4899",
  "#14b8a6",
  "#64748b",
  "#f97316",
];

/** Events per hour by type, drawn (recharts); ./lazy-charts.tsx loads it on demand, with the frame and its label. */
export function EventsPerHourChart({ series, types }: { series: Record<string, number | string>[]; types: string[] }) {
  return (
    <div className="h-full w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" tickFormatter={(value: string) => axisTick(value, "hour")} fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip labelFormatter={(value) => utcStamp(String(value))} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {types.map((type, index) => (
            <Bar key={type} dataKey={type} stackId="events" fill={palette[index % palette.length]} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
