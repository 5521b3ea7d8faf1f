import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { UserDashboard } from "@/lib/hubby/schemas";
import { utc } from "@/lib/travelers/format";
import { gigabytes, livePackages, queueLabel } from "@/lib/travelers/live";
import { esimStatusWords, parseLpa } from "@/lib/travelers/lpa";
import type { Gap } from "@/lib/travelers/gaps";
import type { StoredTraveler } from "@/lib/travelers/traveler";
import { RedeemButton } from "./redeem-button";

function Meter({ used, total, label }: { used: number; total: number; label: string }) {
  const percent = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  return (
    <div className="flex flex-col gap-1">
      <div
        className="h-2 w-full overflow-hidden rounded bg-muted"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="h-full bg-primary" style={{ width: `${percent}%` }} />
      </div>
      <span className="text-xs text-muted-foreground">
        {gigabytes(used)} used of {gigabytes(total)} ({percent}%)
      </span>
    </div>
  );
}

/** The eSIM card, the package queue with Redeem, the current packages with meters, and open gaps. */
export function OverviewTab({
  externalUserId,
  live,
  stored,
  fetchedAt,
  qrSvg,
  mayRedeem,
  gaps,
  timelineGapsHref,
}: {
  externalUserId: string;
  live: UserDashboard | null;
  stored: StoredTraveler;
  fetchedAt: Date;
  qrSvg: string | null;
  mayRedeem: boolean;
  gaps: Gap[];
  timelineGapsHref: string;
}) {
  const esim = live?.current_esim ?? null;
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
            live.current_esim_packages.length === 0 ? (
              <p className="text-muted-foreground">No package on the eSIM yet.</p>
            ) : (
              livePackages(live).map((pkg, index) => {
                const daysLeft = pkg.expiresAt
                  ? Math.max(0, Math.ceil((Date.parse(pkg.expiresAt) - fetchedAt.getTime()) / 86_400_000))
                  : null;
                return (
                  <div key={pkg.id ?? index} className="flex flex-col gap-1 rounded border p-2">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">{pkg.destination ?? "?"}</span>
                      <Badge variant={pkg.status === "ACTIVE" ? "success" : "default"}>{pkg.status ?? "?"}</Badge>
                      <span className="text-muted-foreground">
                        {pkg.activatedAt ? `activated ${utc(pkg.activatedAt)}` : "not activated yet"}
                        {daysLeft !== null ? ` · ${daysLeft} days left` : ""}
                      </span>
                    </div>
                    {pkg.totalBytes !== null && pkg.usedBytes !== null && (
                      <Meter
                        used={pkg.usedBytes}
                        total={pkg.totalBytes}
                        label={`Data used, ${pkg.destination ?? ""}`}
                      />
                    )}
                  </div>
                );
              })
            )
          ) : stored.packages.length === 0 ? (
            <p className="text-muted-foreground">No package reported.</p>
          ) : (
            stored.packages.map((pkg) => (
              <div key={pkg.packageId} className="flex flex-wrap items-center gap-2 rounded border p-2">
                <span className="font-mono text-xs">{pkg.packageId}</span>
                <span>
                  {pkg.destination ?? "?"} {pkg.size ?? ""}
                </span>
                <span className="text-muted-foreground">
                  usage {pkg.usagePercent}%{pkg.lastUsageAt ? ` as of ${utc(pkg.lastUsageAt)}` : ""} · expires{" "}
                  {utc(pkg.expiresAt)}
                </span>
              </div>
            ))
          )}
        </CardContent>
      </Card>
    </div>
  );
}
