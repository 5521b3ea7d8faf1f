"use client";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { axisTick, utcStamp } from "@/lib/format";

/** One row per time: a reading (percent, GB used) and/or a point of the projected burn line. */
export type UsageChartRow = { t: number; percent?: number; usedGb?: number; projected?: number };

/**
 * Used percent and used GB over time for one package, with the projection and its end; aggregated on the server.
 * Drawn with recharts: ./lazy-charts.tsx loads it on demand inside a frame that carries `label`.
 */
export function UsageChart({
  rows,
  endsAt,
  gbDomain,
}: {
  label: string;
  rows: UsageChartRow[];
  /** When the package (or the trip's coverage) ends, drawn when it falls within the projection. */
  endsAt: number | null;
  /** The GB axis tied to the percent axis (0 to the package size, lib/travelers/usage.ts), or null for none. */
  gbDomain: [number, number] | null;
}) {
  const showBytes = gbDomain !== null;
  return (
    <div className="h-full w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(value: number) => axisTick(value, "day")}
            fontSize={11}
          />
          <YAxis yAxisId="percent" domain={[0, 100]} unit="%" fontSize={11} />
          {gbDomain && (
            <YAxis yAxisId="bytes" orientation="right" domain={gbDomain} allowDataOverflow unit=" GB" fontSize={11} />
          )}
          <Tooltip
            labelFormatter={(value) => utcStamp(Number(value))}
            formatter={(value, name) => [
              name === "GB used" ? `${Number(value).toFixed(2)} GB` : `${Number(value).toFixed(1)}%`,
              name,
            ]}
          />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {endsAt !== null && (
            <ReferenceLine
              yAxisId="percent"
              x={endsAt}
              stroke="#ef4444"
              strokeDasharray="4 4"
              label={{ value: "ends", fontSize: 10, position: "insideTopLeft" }}
            />
          )}
          <Line
            yAxisId="percent"
            type="linear"
            dataKey="percent"
            name="% used"
            stroke="#6366f1"
            connectNulls
            isAnimationActive={false}
          />
          {showBytes && (
            <Line
              yAxisId="bytes"
              type="linear"
              dataKey="usedGb"
              name="GB used"
              stroke="#0f766e"
              connectNulls
              isAnimationActive={false}
            />
          )}
          <Line
            yAxisId="percent"
            type="linear"
            dataKey="projected"
            name="projected"
            stroke="#f59e0b"
            strokeDasharray="5 5"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
