import type { Metadata } from "next";
import { requireStaff } from "@/lib/auth/staff";
import { may } from "@/lib/auth/roles";
import { resolveOverviewRange } from "@/lib/overview/range";
import { widgetsFor, type OverviewWidgetId } from "@/lib/overview/widgets";
import type { RawSearchParams } from "@/lib/url-params";
import { DateRangePicker } from "@/components/overview/date-range-picker";
import { WidgetCard } from "@/components/overview/widget-card";
import {
  AtRiskWidget,
  CampaignsWidget,
  HealthWidget,
  SpendWidget,
  TravelersWidget,
  WebhookEventsWidget,
} from "@/components/overview/widgets";

export const metadata: Metadata = { title: "Overview" };

/**
 * The console's home for every role. The page itself shows nothing of its own: each widget is shown only to roles
 * holding its permission in the role matrix (lib/overview/widgets.ts), and streams in its own Suspense boundary.
 */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requireStaff();
  const range = resolveOverviewRange(await searchParams);
  const widgets = widgetsFor(staff);
  const body: Record<OverviewWidgetId, { node: React.ReactNode; wide?: boolean }> = {
    travelers: { node: <TravelersWidget range={range} /> },
    "at-risk": { node: <AtRiskWidget /> },
    "webhook-events": { node: <WebhookEventsWidget range={range} /> },
    spend: { node: <SpendWidget range={range} /> },
    campaigns: { node: <CampaignsWidget /> },
    health: {
      node: <HealthWidget mayReadApiLog={may(staff, "apiLog.read")} />,
      wide: true,
    },
  };
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Overview</h1>
          <p className="text-sm text-muted-foreground">
            {range.from} to {range.to} (UTC days). Counts “now” ignore the range.
          </p>
        </div>
        <DateRangePicker range={range} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        {widgets.map((widget) => (
          <WidgetCard key={widget.id} id={widget.id} title={widget.title} wide={body[widget.id].wide}>
            {body[widget.id].node}
          </WidgetCard>
        ))}
      </div>
    </div>
  );
}
