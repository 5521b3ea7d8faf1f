import Link from "next/link";
import { Suspense } from "react";
import QRCode from "qrcode";
import { AlertTriangle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/action/copy-button";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { may } from "@/lib/auth/roles";
import type { CurrentStaff } from "@/lib/auth/staff";
import { hubbyEnvironment } from "@/lib/env";
import { HubbyApiError } from "@/lib/hubby";
import type { HubbyClient } from "@/lib/hubby/client";
import type { UserDashboard } from "@/lib/hubby/schemas";
import { compatibleDevices } from "@/lib/travelers/devices";
import { age, utc } from "@/lib/travelers/format";
import { livePackages } from "@/lib/travelers/live";
import { dashboardName, esimDataMeter, packageUsages } from "@/lib/travelers/meters";
import {
  travelerTabs,
  travelerViewHref,
  gapsOnPage,
  withGaps,
  type TravelerTab,
  type TravelerView,
} from "@/lib/travelers/timeline";
import { legalHoldOf } from "@/lib/privacy/hold";
import { isPseudonym } from "@/lib/privacy/pseudonym";
import { storedTraveler, travelerGaps, travelerTimeline, usageSamples } from "@/lib/travelers/traveler";
import { rememberDashboard } from "@/lib/webhooks/reconcile";
import { cn } from "@/lib/utils";
import { OverviewTab } from "./overview-tab";
import { PrivacyPanel } from "./privacy-panel";
import { RefreshButton } from "./refresh-button";
import { SummaryButton } from "./summary-button";
import { TimelineTab } from "./timeline-tab";
import { TravelerActions } from "./traveler-actions";
import { UsageTab } from "./usage-tab";

/**
 * The traveler page in parts that stream (docs/decisions/0046): the header, the tabs and everything the console
 * stored render at once; what needs Hubby's live reply (the fetched-at line, the "Hubby could not be reached"
 * banner, the live panel of the overview and usage tabs) awaits one shared promise inside its own Suspense boundary,
 * so the first bytes never wait for Hubby.
 */

/** What asking Hubby for the user dashboard gave: the reply, or why there is none. */
export type LiveResult = { live: UserDashboard | null; problem: string | null; unknownAtHubby: boolean };

/** Asks Hubby once per render; every part that needs the answer awaits this same promise. */
export function askHubby(hubby: HubbyClient, externalUserId: string): Promise<LiveResult> {
  const asked = hubby.getUserDashboard(externalUserId).then(
    (live): LiveResult => ({ live, problem: null, unknownAtHubby: false }),
    (error: unknown): LiveResult => {
      // Any refusal, timeout or unreadable reply from Hubby: the page shows what the console stored.
      if (!(error instanceof HubbyApiError)) throw error;
      return error.status === 404
        ? { live: null, problem: null, unknownAtHubby: true }
        : { live: null, problem: error.message, unknownAtHubby: false };
    },
  );
  // Awaited by the Suspense parts (whose error boundary shows a failure); this keeps it from counting as unhandled
  // when the render stops before any part awaits it.
  asked.catch(() => undefined);
  return asked;
}

type StoredState = Awaited<ReturnType<typeof storedTraveler>>;

type ViewProps = {
  staff: CurrentStaff;
  hubby: HubbyClient;
  externalUserId: string;
  view: TravelerView;
  ignored: string[];
  fetchedAt: Date;
  stored: StoredState;
  liveResult: Promise<LiveResult>;
};

const tabLabels: Record<TravelerTab, string> = { overview: "Overview", usage: "Usage", timeline: "Timeline" };

/** A traveler the console has not stored: Hubby decides whether there is one, so all of it streams. */
export async function TravelerFromHubby(props: Omit<ViewProps, "stored">) {
  const result = await props.liveResult;
  if (!result.live) return <TravelerNotFound externalUserId={props.externalUserId} result={result} />;
  await rememberDashboard(result.live);
  const stored = await storedTraveler(props.externalUserId);
  return <TravelerPageView {...props} stored={stored} />;
}

export function AskingHubby({ externalUserId }: { externalUserId: string }) {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-3">
      <p className="text-sm text-muted-foreground">
        The console has not stored <span className="font-mono text-foreground">{externalUserId}</span>: asking Hubby…
      </p>
      <div className="h-40 w-full animate-pulse rounded bg-muted" />
    </div>
  );
}

export function TravelerNotFound({ externalUserId, result }: { externalUserId: string; result: LiveResult }) {
  return (
    <div className="flex flex-col gap-2">
      <h1 className="text-xl font-semibold">Traveler not found</h1>
      <p className="text-sm text-muted-foreground">
        You looked for the external_user_id <span className="font-mono text-foreground">“{externalUserId}”</span>.{" "}
        {result.unknownAtHubby
          ? "Neither the console nor Hubby knows a traveler with that id."
          : `The console has no traveler with that id, and Hubby could not be asked: ${result.problem}`}
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

/** The header, tabs and stored state at once; the live parts in their own Suspense boundaries. */
export async function TravelerPageView(props: ViewProps) {
  const { staff, externalUserId, view, ignored, fetchedAt, stored, liveResult } = props;
  const [hold, gaps, tabData] = await Promise.all([
    legalHoldOf(externalUserId),
    travelerGaps(externalUserId, fetchedAt),
    view.tab === "timeline"
      ? travelerTimeline(externalUserId, {
          kinds: view.kinds,
          before: view.before ?? null,
          links: { apiLog: may(staff, "apiLog.read"), audit: may(staff, "audit.read") },
        }).then((page) => ({ tab: "timeline" as const, page }))
      : usageSamples(externalUserId).then((samples) => ({
          tab: view.tab === "usage" ? ("usage" as const) : ("overview" as const),
          samples,
        })),
  ]);
  const storedIccid = stored.traveler?.iccid ?? null;
  const lastKnown = stored.traveler?.lastSeenAt ?? null;
  const deepLink = travelerViewHref(externalUserId, view);
  const openGaps = gaps.filter((gap) => !gap.resolvedAt).length;
  const privacyPanel = (may(staff, "privacy.export") || may(staff, "privacy.manage")) && (
    <PrivacyPanel
      externalUserId={externalUserId}
      hold={hold && { reason: hold.reason, setAt: hold.setAt.toISOString(), setByEmail: hold.setByEmail }}
      mayExport={may(staff, "privacy.export")}
      mayManage={may(staff, "privacy.manage")}
      erased={isPseudonym(externalUserId)}
    />
  );

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
            {hold && (
              <span
                className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
                data-testid="legal-hold-badge"
              >
                Legal hold
              </span>
            )}
          </div>
          {storedIccid ? (
            <Iccid iccid={storedIccid} />
          ) : (
            <Suspense fallback={null}>
              <LiveIccid liveResult={liveResult} />
            </Suspense>
          )}
          <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
            <Suspense
              fallback={
                <span data-testid="fetched-at-pending">
                  Stored state, last updated {utc(lastKnown)}. Asking Hubby for the live state…
                </span>
              }
            >
              <LiveStatus liveResult={liveResult} fetchedAt={fetchedAt} lastKnown={lastKnown} />
            </Suspense>
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

      <p className="text-sm text-muted-foreground">
        What the console stored from Hubby&apos;s webhooks is shown at once; Hubby&apos;s live eSIM state, packages and
        usage fill in as it answers. The timeline holds everything that happened to this traveler. Times in UTC.
      </p>
      <IgnoredParamsNotice names={ignored} />
      <Suspense fallback={null}>
        <HubbyDownBanner liveResult={liveResult} fetchedAt={fetchedAt} lastKnown={lastKnown} />
      </Suspense>

      <nav aria-label="Traveler sections" className="flex gap-1 border-b">
        {travelerTabs.map((tab) => (
          <Link
            key={tab}
            href={travelerViewHref(externalUserId, { ...view, tab, before: undefined })}
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

      {tabData.tab === "timeline" ? (
        <TimelineTab
          externalUserId={externalUserId}
          view={view}
          entries={
            view.gapsOnly
              ? withGaps([], gaps, true)
              : withGaps(
                  tabData.page.entries,
                  gapsOnPage(gaps, { before: view.before ?? null, next: tabData.page.next }),
                  false,
                )
          }
          next={view.gapsOnly ? null : tabData.page.next}
          total={tabData.page.total}
          gapCount={gaps.length}
        />
      ) : (
        // The privacy panel comes with the live panel, not before it: appearing above it, the live panel would push
        // the privacy panel down the screen as it streams in (a layout shift).
        <Suspense fallback={<LivePanelSkeleton />}>
          <LivePanel {...props} tab={tabData.tab} samples={tabData.samples} gaps={gaps} />
          {privacyPanel}
        </Suspense>
      )}
      {tabData.tab === "timeline" && privacyPanel}
    </div>
  );
}

function Iccid({ iccid }: { iccid: string }) {
  return (
    <div className="flex flex-wrap items-center gap-1 text-sm">
      <span className="text-muted-foreground">ICCID</span>
      <span className="font-mono" data-testid="header-iccid">
        {iccid}
      </span>
      <CopyButton label="Copy ICCID" value={iccid} what="ICCID" />
    </div>
  );
}

/** The ICCID from Hubby, for a traveler whose ICCID the console has not stored yet. */
export async function LiveIccid({ liveResult }: { liveResult: Promise<LiveResult> }) {
  const iccid = (await liveResult).live?.current_esim?.iccid;
  return iccid ? <Iccid iccid={iccid} /> : null;
}

export async function LiveStatus({
  liveResult,
  fetchedAt,
  lastKnown,
}: {
  liveResult: Promise<LiveResult>;
  fetchedAt: Date;
  lastKnown: Date | null;
}) {
  const { live } = await liveResult;
  return (
    <span data-testid="fetched-at">
      {live ? `Live from Hubby, fetched ${utc(fetchedAt)}.` : `Stored state, last updated ${utc(lastKnown)}.`}
    </span>
  );
}

export async function HubbyDownBanner({
  liveResult,
  fetchedAt,
  lastKnown,
}: {
  liveResult: Promise<LiveResult>;
  fetchedAt: Date;
  lastKnown: Date | null;
}) {
  const { live, unknownAtHubby, problem } = await liveResult;
  if (live) return null;
  return (
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
  );
}

function LivePanelSkeleton() {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-3" data-testid="live-panel-loading">
      <span className="text-sm text-muted-foreground">Asking Hubby for the live eSIM state…</span>
      <div className="h-40 w-full animate-pulse rounded bg-muted" />
    </div>
  );
}

/** The overview or usage tab: stored packages merged with Hubby's live reply (or stored alone when Hubby failed). */
export async function LivePanel({
  staff,
  hubby,
  externalUserId,
  fetchedAt,
  stored,
  liveResult,
  tab,
  samples,
  gaps,
}: ViewProps & {
  tab: "overview" | "usage";
  samples: Awaited<ReturnType<typeof usageSamples>>;
  gaps: Awaited<ReturnType<typeof travelerGaps>>;
}) {
  const [{ live }, devices] = await Promise.all([
    liveResult,
    tab === "overview" ? compatibleDevices(hubby) : Promise.resolve([]),
  ]);
  const esim = live?.current_esim ?? null;
  // Meters from documented data first (the eSIM's data left), per package only where usage is known.
  const esimData = esimDataMeter(esim, fetchedAt);
  const dashboard = dashboardName(hubbyEnvironment());
  const packages = packageUsages({
    stored: stored.packages,
    live: live ? livePackages(live) : null,
    samples,
    fetchedAt,
  });
  if (tab === "usage") {
    return (
      <UsageTab
        packages={packages}
        esimData={esimData}
        live={live !== null}
        dashboard={dashboard}
        fetchedAt={fetchedAt}
      />
    );
  }
  return (
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
      <TravelerActions externalUserId={externalUserId} devices={devices} />
    </>
  );
}
