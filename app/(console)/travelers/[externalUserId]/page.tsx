import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Button } from "@/components/ui/button";
import QRCode from "qrcode";
import { AlertTriangle } from "lucide-react";
import { audit } from "@/lib/audit/audit";
import { requirePermission } from "@/lib/auth/staff";
import { getRequestId } from "@/lib/request-id";
import { may } from "@/lib/auth/roles";
import { hubbyEnvironment } from "@/lib/env";
import { HubbyApiError, hubbyForPage } from "@/lib/hubby";
import type { UserDashboard } from "@/lib/hubby/schemas";
import { compatibleDevices } from "@/lib/travelers/devices";
import { age, utc } from "@/lib/travelers/format";
import { livePackages } from "@/lib/travelers/live";
import { dashboardName, esimDataMeter, packageUsages } from "@/lib/travelers/meters";
import {
  readTravelerView,
  travelerRouteParams,
  travelerTabs,
  travelerViewHref,
  withGaps,
  type TravelerTab,
} from "@/lib/travelers/timeline";
import { storedTraveler, travelerGaps, travelerTimeline, usageSamples } from "@/lib/travelers/traveler";
import { rememberDashboard } from "@/lib/webhooks/reconcile";
import { parseRouteParams, type RawSearchParams } from "@/lib/url-params";
import { cn } from "@/lib/utils";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { CopyButton } from "@/components/action/copy-button";
import { OverviewTab } from "./overview-tab";
import { RefreshButton } from "./refresh-button";
import { SummaryButton } from "./summary-button";
import { TimelineTab } from "./timeline-tab";
import { TravelerActions } from "./traveler-actions";
import { UsageTab } from "./usage-tab";

export const metadata: Metadata = { title: "Traveler" };

const tabLabels: Record<TravelerTab, string> = { overview: "Overview", usage: "Usage", timeline: "Timeline" };

export default async function TravelerPage({
  params,
  searchParams,
}: {
  params: Promise<{ externalUserId: string }>;
  searchParams: Promise<RawSearchParams>;
}) {
  const staff = await requirePermission("travelers.search");
  const route = parseRouteParams(travelerRouteParams, await params);
  if (!route) notFound();
  const { externalUserId } = route;
  const { values: view, ignored } = readTravelerView(await searchParams);
  // Every opening of a traveler's page is a read of personal data: recorded before anything is read.
  await audit({
    actor: staff,
    action: "travelers.view",
    targetType: "traveler",
    targetId: externalUserId,
    externalUserId,
    result: "ok",
    details: { tab: view.tab },
    requestId: await getRequestId(),
  });
  const fetchedAt = new Date();
  let live: UserDashboard | null = null;
  let problem: string | null = null;
  let unknownAtHubby = false;
  const hubby = await hubbyForPage(staff);
  try {
    live = await hubby.getUserDashboard(externalUserId);
  } catch (error) {
    // Any refusal, timeout or unreadable reply from Hubby: fall back to what the console stored.
    if (!(error instanceof HubbyApiError)) throw error;
    if (error.status === 404) unknownAtHubby = true;
    else problem = error.message;
  }
  let stored = await storedTraveler(externalUserId);
  if (live && !stored.traveler) {
    await rememberDashboard(live);
    stored = await storedTraveler(externalUserId);
  }
  if (!live && !stored.traveler) {
    return (
      <div className="flex flex-col gap-2">
        <h1 className="text-xl font-semibold">Traveler not found</h1>
        <p className="text-sm text-muted-foreground">
          You looked for the external_user_id <span className="font-mono text-foreground">“{externalUserId}”</span>.{" "}
          {unknownAtHubby
            ? "Neither the console nor Hubby knows a traveler with that id."
            : `The console has no traveler with that id, and Hubby could not be asked: ${problem}`}
        </p>
        <p className="text-sm text-muted-foreground">
          Ids are case-sensitive. To find a traveler by ICCID, booking id or package id, or by the start of an id,{" "}
          <Link className="underline" href={`/travelers?q=${encodeURIComponent(externalUserId)}`}>
            search the traveler list
          </Link>
          .
        </p>
      </div>
    );
  }

  const mayReadApiLog = may(staff, "apiLog.read");
  const [gaps, tabData] = await Promise.all([
    travelerGaps(externalUserId, fetchedAt),
    view.tab === "timeline"
      ? travelerTimeline(externalUserId, {
          kinds: view.kinds,
          links: { apiLog: mayReadApiLog, audit: may(staff, "audit.read") },
        }).then((entries) => ({ tab: "timeline" as const, entries }))
      : view.tab === "usage"
        ? usageSamples(externalUserId).then((samples) => ({ tab: "usage" as const, samples }))
        : Promise.all([compatibleDevices(hubby), usageSamples(externalUserId)]).then(([devices, samples]) => ({
            tab: "overview" as const,
            devices,
            samples,
          })),
  ]);
  const esim = live?.current_esim ?? null;
  // Meters from documented data first (the eSIM's data left), per package only where usage is known.
  const esimData = esimDataMeter(esim, fetchedAt);
  const dashboard = dashboardName(hubbyEnvironment());
  const packages =
    tabData.tab === "timeline"
      ? []
      : packageUsages({
          stored: stored.packages,
          live: live ? livePackages(live) : null,
          samples: tabData.samples,
          fetchedAt,
        });
  const iccid = esim?.iccid ?? stored.traveler?.iccid ?? null;
  const lastKnown = stored.traveler?.lastSeenAt ?? null;
  const deepLink = travelerViewHref(externalUserId, view);
  const openGaps = gaps.filter((gap) => !gap.resolvedAt).length;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <Link href="/travelers" className="text-sm text-muted-foreground hover:underline">
            ← Travelers
          </Link>
          <div className="flex flex-wrap items-center gap-1">
            <h1 className="font-mono text-xl font-semibold">{externalUserId}</h1>
            <CopyButton label="Copy id" value={externalUserId} what="external_user_id" />
          </div>
          {iccid && (
            <div className="flex flex-wrap items-center gap-1 text-sm">
              <span className="text-muted-foreground">ICCID</span>
              <span className="font-mono" data-testid="header-iccid">
                {iccid}
              </span>
              <CopyButton label="Copy ICCID" value={iccid} what="ICCID" />
            </div>
          )}
          <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
            <span data-testid="fetched-at">
              {live ? `Live from Hubby, fetched ${utc(fetchedAt)}.` : `Stored state, last updated ${utc(lastKnown)}.`}
            </span>
            <RefreshButton />
          </div>
        </div>
        <div className="flex flex-col items-end gap-1">
          <CopyButton label="Copy link" path={deepLink} what="link to this view" />
          <SummaryButton externalUserId={externalUserId} path={deepLink} />
          {may(staff, "bookings.topUp") && (
            <Button asChild variant="outline" size="sm">
              <Link href={`/bookings/new?externalUserId=${encodeURIComponent(externalUserId)}&topUp=1`}>Top up</Link>
            </Button>
          )}
          {may(staff, "instructions.preview") && (
            <Button asChild variant="outline" size="sm">
              <Link href={`/instructions?externalUserId=${encodeURIComponent(externalUserId)}`}>
                Preview install instructions
              </Link>
            </Button>
          )}
        </div>
      </div>

      <IgnoredParamsNotice names={ignored} />
      {!live && (
        <p
          role="alert"
          data-testid="hubby-down"
          className="flex items-center gap-2 rounded-md bg-amber-100 p-3 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
        >
          <AlertTriangle className="h-4 w-4 shrink-0" aria-hidden />
          <span>
            {unknownAtHubby ? "Hubby does not know this traveler any more." : `Hubby could not be reached: ${problem}`}{" "}
            Showing what the console stored from webhooks, last updated {utc(lastKnown)}
            {lastKnown ? ` (${age(lastKnown, fetchedAt)})` : ""}. The package queue needs Hubby.
          </span>
        </p>
      )}

      <nav aria-label="Traveler sections" className="flex gap-1 border-b">
        {travelerTabs.map((tab) => (
          <Link
            key={tab}
            href={travelerViewHref(externalUserId, { ...view, tab })}
            aria-current={view.tab === tab ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm",
              view.tab === tab
                ? "border-primary font-medium"
                : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {tabLabels[tab]}
            {tab === "timeline" && openGaps > 0 && (
              <span className="ml-1 rounded-full bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-900/40 dark:text-amber-100">
                {openGaps} gap{openGaps > 1 ? "s" : ""}
              </span>
            )}
          </Link>
        ))}
      </nav>

      {tabData.tab === "overview" && (
        <>
          <OverviewTab
            externalUserId={externalUserId}
            live={live}
            stored={stored}
            packages={packages}
            esimData={esimData}
            dashboard={dashboard}
            fetchedAt={fetchedAt}
            qrSvg={esim?.qr ? await QRCode.toString(esim.qr, { type: "svg", margin: 1, width: 160 }) : null}
            mayRedeem={may(staff, "travelers.redeem")}
            gaps={gaps}
            timelineGapsHref={travelerViewHref(externalUserId, { tab: "timeline", gapsOnly: true })}
          />
          <TravelerActions externalUserId={externalUserId} devices={tabData.devices} />
        </>
      )}
      {tabData.tab === "usage" && (
        <UsageTab
          packages={packages}
          esimData={esimData}
          live={live !== null}
          dashboard={dashboard}
          fetchedAt={fetchedAt}
        />
      )}
      {tabData.tab === "timeline" && (
        <TimelineTab
          externalUserId={externalUserId}
          view={view}
          entries={withGaps(tabData.entries, gaps, view.gapsOnly)}
          gapCount={gaps.length}
        />
      )}
    </div>
  );
}
