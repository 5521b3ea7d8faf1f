import { stackedBars } from "@/components/charts/stacked-bars";
import { axisTick, formatNumber, utcStamp } from "@/lib/format";

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

/** Hour labels under the bars: about six, so they never crowd a phone's width. */
const LABELS = 6;

/**
 * Events per hour by type as stacked bars, drawn on the server as plain SVG: the page ships no charting library and
 * the browser has nothing to compute after hydration (recharts' parse and draw were most of /webhooks' blocking
 * time). The frame's height is fixed, so nothing moves. Each bar segment names its type, hour and count on hover.
 */
export function EventsPerHourChart({ series, types }: { series: Record<string, number | string>[]; types: string[] }) {
  if (types.length === 0) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No events in this period.</p>;
  }
  const { max, ticks, segments } = stackedBars(series, types);
  const every = Math.max(1, Math.ceil(series.length / LABELS));
  const color = (type: string) => palette[types.indexOf(type) % palette.length];
  return (
    <div className="flex flex-col gap-2" role="img" aria-label="Webhook events per hour by event type">
      <div className="flex h-56 w-full gap-1 text-[11px] text-muted-foreground">
        <div className="relative w-8 shrink-0" aria-hidden>
          {ticks.map((tick) => (
            <span
              key={tick}
              className="absolute right-0 -translate-y-1/2"
              style={{ top: `${100 - (tick / max) * 100}%` }}
            >
              {formatNumber(tick)}
            </span>
          ))}
        </div>
        <div className="flex min-w-0 flex-1 flex-col">
          <svg className="w-full flex-1" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden>
            {ticks.map((tick) => (
              <line
                key={tick}
                x1={0}
                x2={100}
                y1={100 - (tick / max) * 100}
                y2={100 - (tick / max) * 100}
                stroke="currentColor"
                strokeOpacity={0.2}
                strokeDasharray="1 1"
                vectorEffect="non-scaling-stroke"
              />
            ))}
            {segments.map((bar, index) =>
              bar.map((segment) => (
                <rect
                  key={`${index}-${segment.key}`}
                  x={segment.x}
                  y={segment.y}
                  width={segment.width}
                  height={segment.height}
                  fill={color(segment.key)}
                >
                  <title>{`${segment.key}: ${formatNumber(segment.value)} at ${utcStamp(String(series[index]!.hour))}`}</title>
                </rect>
              )),
            )}
          </svg>
          <div className="relative h-4" aria-hidden>
            {series.map((point, index) =>
              index % every === 0 ? (
                <span
                  key={String(point.hour)}
                  className="absolute -translate-x-1/2 whitespace-nowrap"
                  style={{ left: `${((index + 0.5) / series.length) * 100}%` }}
                >
                  {axisTick(String(point.hour), "hour")}
                </span>
              ) : null,
            )}
          </div>
        </div>
      </div>
      <div className="flex flex-wrap justify-center gap-x-3 gap-y-1 text-[11px] text-muted-foreground">
        {types.map((type) => (
          <span key={type} className="inline-flex items-center gap-1">
            <span className="inline-block h-2 w-2 rounded-sm" style={{ backgroundColor: color(type) }} aria-hidden />
            {type}
          </span>
        ))}
      </div>
    </div>
  );
}
