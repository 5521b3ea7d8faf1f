import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { UserDashboard } from "@/lib/hubby/schemas";
import { utc } from "@/lib/travelers/format";
import { gigabytes, queueLabel } from "@/lib/travelers/live";
import { parseLpa } from "@/lib/hubby/lpa";
import { esimStatusWords } from "@/lib/travelers/esim-status";
import type { Gap } from "@/lib/travelers/gaps";
import type { EsimDataMeter, PackageUsage } from "@/lib/travelers/meters";
import type { StoredTraveler } from "@/lib/travelers/traveler";
import { DataLeftMeter, PackageMeter } from "./meters";
import { RedeemButton } from "./redeem-button";

/** The eSIM card, the package queue with Redeem, the current packages with meters, and open gaps. */
export function OverviewTab({
  externalUserId,
  live,
  stored,
  packages,
  esimData,
  dashboard,
  fetchedAt,
  qrSvg,
  mayRedeem,
  gaps,
  timelineGapsHref,
}: {
  externalUserId: string;
  live: UserDashboard | null;
  stored: StoredTraveler;
  /** Stored and live packages with their readings (lib/travelers/meters.ts). */
  packages: PackageUsage[];
  esimData: EsimDataMeter | null;
  /** The dashboard's name in source labels. */
  dashboard: string;
  fetchedAt: Date;
  qrSvg: string | null;
  mayRedeem: boolean;
  gaps: Gap[];
  timelineGapsHref: string;
}) {
  const esim = live?.current_esim ?? null;
  const onDashboard = packages.filter((pkg) => pkg.onDashboard);
  // Packages only the webhooks told of (all of them when the dashboard gives no package ids, as Hubby documents
  // it): shown while current, where a usage webhook gave a reading.
  const reportedByWebhooks = packages.filter(
    (pkg) =>
      !pkg.onDashboard &&
      pkg.latest !== null &&
      (pkg.expiresAt === null || Date.parse(pkg.expiresAt) > fetchedAt.getTime()),
  );
  const lpa = esim?.qr ? parseLpa(esim.qr) : null;
  const openGaps = gaps.filter((gap) => !gap.resolvedAt);
  return (
    <div className="flex flex-col gap-4">
      {openGaps.length > 0 && (
        <div className="flex items-start gap-2 rounded-md border border-amber-300 p-3 text-sm dark:border-amber-700">
          <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0 text-amber-600" aria-hidden />
          <div>
            <p className="font-medium">
              {openGaps.length} gap{openGaps.length > 1 ? "s" : ""} in this journey
            </p>
            <ul className="list-disc pl-4 text-muted-foreground">
              {openGaps.slice(0, 3).map((gap) => (
                <li key={`${gap.kind}-${gap.at}-${gap.packageId ?? gap.bookingId}`}>{gap.message}</li>
              ))}
            </ul>
            <Link href={timelineGapsHref} className="text-xs underline">
              See them on the timeline
            </Link>
          </div>
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>eSIM</CardTitle>
            <CardDescription>
              {live
                ? esim
                  ? `${esimStatusWords[esim.status] ?? esim.status} As of ${utc(fetchedAt)}.`
                  : "No eSIM yet: the traveler is waiting for a booking."
                : stored.traveler?.esimState
                  ? `Last known: ${stored.traveler.esimState} (as of ${utc(stored.traveler.esimStateAt)})`
                  : "Unknown"}
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm">
            {esim && esimData && <DataLeftMeter meter={esimData} />}
            {esim && !esimData && typeof esim.total_data === "number" && esim.total_data === 0 && (
              <p className="text-xs text-muted-foreground" data-testid="esim-data-left">
                No data on the eSIM (no active package), as of {utc(fetchedAt)}.
              </p>
            )}
            {esim ? (
              <div className="flex flex-wrap gap-4">
                <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
                  <dt className="text-muted-foreground">ICCID</dt>
                  <dd className="font-mono" data-testid="esim-iccid">
                    {esim.iccid}
                  </dd>
                  <dt className="text-muted-foreground">Status</dt>
                  <dd>
                    <Badge
                      variant={esim.status === "ENABLED" ? "success" : esim.status === "INSTALLED" ? "info" : "warning"}
                    >
                      {esim.status}
                    </Badge>
                  </dd>
                  <dt className="text-muted-foreground">Name</dt>
                  <dd>{esim.name ?? "—"}</dd>
                  <dt className="text-muted-foreground">Provider</dt>
                  <dd>{esim.provider ?? "—"}</dd>
                  <dt className="text-muted-foreground">Activation</dt>
                  <dd className="break-all font-mono text-xs">{esim.qr ?? "—"}</dd>
                  {lpa && (
                    <>
                      <dt className="text-muted-foreground">SM-DP+ address</dt>
                      <dd className="font-mono text-xs">{lpa.smdpAddress}</dd>
                      <dt className="text-muted-foreground">Matching id</dt>
                      <dd className="font-mono text-xs">{lpa.matchingId}</dd>
                    </>
                  )}
                </dl>
                {qrSvg && (
                  // The SVG is generated here by the qrcode library from the activation string, not from user HTML.
                  <div
                    className="h-40 w-40"
                    aria-label="eSIM activation QR code"
                    role="img"
                    dangerouslySetInnerHTML={{ __html: qrSvg }}
                  />
                )}
              </div>
            ) : (
              stored.traveler?.iccid && (
                <p>
                  Last known ICCID: <span className="font-mono">{stored.traveler.iccid}</span>
                </p>
              )
            )}
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Package queue</CardTitle>
            <CardDescription>
              Packages booked for this traveler, waiting to be redeemed onto the eSIM
              {live ? `, as of ${utc(fetchedAt)}` : ""}.
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm">
            {!live ? (
              <p className="text-muted-foreground">Needs Hubby: the queue is not sent by webhooks.</p>
            ) : live.package_queues.length === 0 ? (
              <p className="text-muted-foreground">Nothing queued.</p>
            ) : (
              <ul className="flex flex-col gap-2">
                {live.package_queues.map((queue) => {
                  const label = queueLabel(queue);
                  return (
                    <li
                      key={queue.id}
                      className="flex flex-wrap items-center justify-between gap-2 rounded border p-2"
                      data-testid={`queue-${queue.id}`}
                    >
                      <span>
                        <span className="font-medium">{label}</span>{" "}
                        <span className="text-muted-foreground">
                          · {queue.package_specification?.duration_days ?? "?"} days · queued {utc(queue.created_at)}
                        </span>
                      </span>
                      {queue.redeemed_at ? (
                        <Badge variant="success">redeemed {utc(queue.redeemed_at)}</Badge>
                      ) : mayRedeem ? (
                        <RedeemButton externalUserId={externalUserId} packageQueueId={queue.id} label={label} />
                      ) : (
                        <Badge>not redeemed</Badge>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Packages</CardTitle>
          <CardDescription>
            {live ? `As of ${utc(fetchedAt)} (live).` : "From webhooks: usage as last reported, with its time."}
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          {live ? (
            <>
              {onDashboard.length === 0 ? (
                <p className="text-muted-foreground">No package on the eSIM yet.</p>
              ) : (
                onDashboard.map((pkg) => {
                  const daysLeft = pkg.expiresAt
                    ? Math.max(0, Math.ceil((Date.parse(pkg.expiresAt) - fetchedAt.getTime()) / 86_400_000))
                    : null;
                  return (
                    <div key={pkg.key} className="flex flex-col gap-1 rounded border p-2" data-testid="live-package">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="font-medium">{pkg.destination ?? "?"}</span>
                        <Badge variant={pkg.status === "ACTIVE" ? "success" : "default"}>{pkg.status ?? "?"}</Badge>
                        <span className="text-muted-foreground">
                          {pkg.totalBytes ? `${gigabytes(pkg.totalBytes)} · ` : ""}
                          {pkg.activatedAt
                            ? `activated ${utc(pkg.activatedAt)}`
                            : pkg.activationKnown
                              ? "not activated yet"
                              : `assigned ${utc(pkg.assignedAt)}`}
                          {daysLeft !== null ? ` · ${daysLeft} days left` : ""}
                        </span>
                      </div>
                      <PackageMeter pkg={pkg} dashboard={dashboard} />
                    </div>
                  );
                })
              )}
              {reportedByWebhooks.length > 0 && (
                <div className="flex flex-col gap-2" data-testid="webhook-packages">
                  <p className="text-xs text-muted-foreground">Also reported by Hubby&apos;s usage webhooks:</p>
                  {reportedByWebhooks.map((pkg) => (
                    <div key={pkg.key} className="flex flex-col gap-1 rounded border p-2">
                      <span className="font-mono text-xs">{pkg.label}</span>
                      <PackageMeter pkg={pkg} dashboard={dashboard} />
                    </div>
                  ))}
                </div>
              )}
            </>
          ) : packages.length === 0 ? (
            <p className="text-muted-foreground">No package reported.</p>
          ) : (
            packages.map((pkg) => (
              <div key={pkg.key} className="flex flex-col gap-1 rounded border p-2">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-mono text-xs">{pkg.label}</span>
                  <span className="text-muted-foreground">expires {utc(pkg.expiresAt)}</span>
                </div>
                <PackageMeter pkg={pkg} dashboard={dashboard} />
              </div>
            ))
          )}
        </CardContent>
      </Card>
    </div>
  );
}
