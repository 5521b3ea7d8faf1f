"use client";
// Drawn with recharts; ./lazy-charts.tsx loads these on demand inside a frame that carries each chart's label.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { axisTick } from "@/lib/format";

const palette = ["#0f766e", "#6366f1", "#f59e0b", "#ef4444", "#0ea5e9", "#84cc16", "#a855f7", "#64748b"];
const formatDay = (value: unknown) => axisTick(`${String(value)}T00:00:00Z`, "day");

type Point = Record<string, number | string>;
type SeriesKey = { key: string; label: string };

/** Daily counts stacked by key (e.g. webhook events by type); the series is aggregated on the server. */
export function StackedDailyChart({ series, keys }: { series: Point[]; keys: SeriesKey[]; label: string }) {
  return (
    <div className="h-full w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={formatDay} fontSize={11} minTickGap={16} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip labelFormatter={formatDay} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {keys.map((entry, index) => (
            <Bar
              key={entry.key}
              dataKey={entry.key}
              name={entry.label}
              stackId="day"
              fill={palette[index % palette.length]}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Daily lines on one axis (installs and activations; cost and price in one currency). */
export function DailyLinesChart({
  series,
  keys,
  money,
}: {
  series: Point[];
  keys: SeriesKey[];
  label: string;
  /** The currency when the values are cents: the axis and tooltip show whole units. */
  money?: string;
}) {
  const format = money
    ? (value: unknown) =>
        new Intl.NumberFormat("en-GB", { style: "currency", currency: money, maximumFractionDigits: 0 }).format(
          Number(value) / 100,
        )
    : (value: unknown) => new Intl.NumberFormat("en-GB").format(Number(value));
  return (
    <div className="h-full w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: money ? 8 : -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={formatDay} fontSize={11} minTickGap={16} />
          <YAxis allowDecimals={false} fontSize={11} tickFormatter={format} />
          <Tooltip labelFormatter={formatDay} formatter={(value) => format(value)} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {keys.map((entry, index) => (
            <Line
              key={entry.key}
              dataKey={entry.key}
              name={entry.label}
              type="monotone"
              dot={false}
              stroke={palette[index % palette.length]}
              strokeWidth={2}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
