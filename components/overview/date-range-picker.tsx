import Link from "next/link";
import { FilterBar, DateRangeFilter } from "@/components/list/filter-bar";
import { presetRanges, type OverviewRange } from "@/lib/overview/range";
import { cn } from "@/lib/utils";

/** The overview's date range: quick choices and a From/To form, both plain links and GETs, so the range is the URL. */
export function DateRangePicker({ range }: { range: OverviewRange }) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <nav aria-label="Date range" className="flex gap-1">
        {presetRanges().map((preset) => {
          const active = preset.from === range.from && preset.to === range.to;
          return (
            <Link
              key={preset.label}
              href={preset.href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "rounded-full border px-3 py-1 text-xs",
                active ? "border-primary bg-primary text-primary-foreground" : "border-border hover:bg-muted",
              )}
            >
              {preset.label}
            </Link>
          );
        })}
      </nav>
      <FilterBar action="/" state={range} filtered={range.chosen} submitLabel="Show">
        <DateRangeFilter from={range.from} to={range.to} />
      </FilterBar>
    </div>
  );
}
