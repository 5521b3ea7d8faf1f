import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { utc } from "@/lib/travelers/format";
import {
  TIMELINE_PAGE_SIZE,
  timelineKindLabels,
  timelineKinds,
  travelerViewHref,
  type TimelineEntry,
  type TimelinePosition,
  type TravelerView,
} from "@/lib/travelers/timeline";
import { cn } from "@/lib/utils";

const kindBadge: Record<TimelineEntry["kind"], "info" | "success" | "default" | "warning"> = {
  webhook: "info",
  staff: "success",
  hubby: "default",
  milestone: "default",
  gap: "warning",
};

const chip = (active: boolean) =>
  cn(
    "rounded-full border px-3 py-1 text-xs",
    active ? "border-primary bg-primary text-primary-foreground" : "border-border hover:bg-muted",
  );

/**
 * The journey, newest first, a page at a time, with its filters and page held in the URL
 * (`?tab=timeline&kinds=&gaps=&before=`).
 */
export function TimelineTab({
  externalUserId,
  view,
  entries,
  next,
  total,
  gapCount,
}: {
  externalUserId: string;
  view: TravelerView;
  entries: TimelineEntry[];
  /** The next (older) page's cursor, null on the last page. */
  next: TimelinePosition | null;
  /** Entries of the chosen kinds on all pages. */
  total: number;
  gapCount: number;
}) {
  // Filters start from the newest page again.
  const first = { ...view, before: undefined };
  const allKinds = view.kinds.length === timelineKinds.length;
  // From "everything", a kind narrows to that kind; after that, kinds toggle on and off (none left = everything).
  const toggle = (kind: (typeof timelineKinds)[number]) => {
    const chosen = allKinds
      ? [kind]
      : view.kinds.includes(kind)
        ? view.kinds.filter((k) => k !== kind)
        : [...view.kinds, kind];
    return travelerViewHref(externalUserId, { ...first, kinds: chosen.length ? chosen : [...timelineKinds] });
  };
  return (
    <div className="flex flex-col gap-3">
      <nav aria-label="Timeline filters" className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-muted-foreground">Show:</span>
        <Link
          href={travelerViewHref(externalUserId, { ...first, kinds: [...timelineKinds], gapsOnly: false })}
          aria-current={allKinds && !view.gapsOnly ? "true" : undefined}
          className={chip(allKinds && !view.gapsOnly)}
        >
          Everything
        </Link>
        {timelineKinds.map((kind) => {
          const active = !allKinds && view.kinds.includes(kind);
          return (
            <Link key={kind} href={toggle(kind)} aria-current={active ? "true" : undefined} className={chip(active)}>
              {timelineKindLabels[kind]}
            </Link>
          );
        })}
        <Link
          href={travelerViewHref(externalUserId, { ...first, gapsOnly: !view.gapsOnly })}
          aria-current={view.gapsOnly ? "true" : undefined}
          className={chip(view.gapsOnly)}
        >
          Gaps only ({gapCount})
        </Link>
      </nav>
      <p className="text-xs text-muted-foreground">
        {view.gapsOnly
          ? "Only the gaps: things that should have happened and did not, or whose webhook never arrived."
          : `${allKinds ? "Every kind" : view.kinds.map((kind) => timelineKindLabels[kind]).join(", ")}, newest first, ${TIMELINE_PAGE_SIZE} a page; gaps are always shown. Times are UTC (webhooks at the event's own time). Opening this page is recorded in the audit log, not here.`}
      </p>
      {entries.length === 0 ? (
        <p className="text-sm text-muted-foreground">{view.gapsOnly ? "No gaps found." : "Nothing yet."}</p>
      ) : (
        <ol className="flex flex-col gap-1 text-sm" data-testid="timeline">
          {entries.map((entry, index) => (
            <li
              key={`${entry.at}-${entry.kind}-${index}`}
              data-kind={entry.kind}
              className={cn(
                "flex flex-wrap items-baseline gap-2 rounded px-1",
                entry.kind === "gap" && entry.tone === "warning" && "bg-amber-50 dark:bg-amber-900/20",
              )}
            >
              <span className="w-40 shrink-0 text-xs text-muted-foreground">{utc(entry.at)}</span>
              <Badge variant={entry.tone === "danger" ? "danger" : kindBadge[entry.kind]}>
                {entry.kind === "gap" && <AlertTriangle className="mr-1 h-3 w-3" aria-hidden />}
                {entry.kind}
              </Badge>
              {entry.href ? (
                <Link href={entry.href} className="font-mono text-xs underline-offset-2 hover:underline">
                  {entry.title}
                </Link>
              ) : (
                <span className="font-mono text-xs">{entry.title}</span>
              )}
              {entry.detail && <span className="text-xs text-muted-foreground">{entry.detail}</span>}
            </li>
          ))}
        </ol>
      )}
      {!view.gapsOnly && (view.before || next) && (
        <nav aria-label="Timeline pages" className="flex flex-wrap items-center gap-3 text-sm">
          <span className="text-xs text-muted-foreground" data-testid="timeline-total">
            {total} {total === 1 ? "entry" : "entries"} in all
            {entries[0] && entries.at(-1) ? `; this page ${utc(entries[0].at)} back to ${utc(entries.at(-1)!.at)}` : ""}
          </span>
          {view.before && (
            <Link className="underline" href={travelerViewHref(externalUserId, first)}>
              Newest
            </Link>
          )}
          {next && (
            <Link className="underline" href={travelerViewHref(externalUserId, { ...view, before: next })}>
              Older entries
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
