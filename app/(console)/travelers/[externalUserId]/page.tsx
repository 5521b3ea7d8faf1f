import type { Metadata } from "next";
import Link from "next/link";
import QRCode from "qrcode";
import { AlertTriangle } from "lucide-react";
import { requireStaff } from "@/lib/auth/staff";
import { can, rolesFor } from "@/lib/auth/roles";
import { HubbyApiError, hubbyFor } from "@/lib/hubby";
import type { UserDashboard } from "@/lib/hubby/schemas";
import { esimStatusWords, parseLpa } from "@/lib/travelers/lpa";
import { storedTraveler, travelerTimeline } from "@/lib/travelers/traveler";
import { rememberDashboard } from "@/lib/webhooks/reconcile";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { compatibleDevices } from "@/lib/travelers/devices";
import { RedeemButton } from "./redeem-button";
import { TravelerActions } from "./traveler-actions";

export const metadata: Metadata = { title: "Traveler" };

const GIB = 1073741824;
const gb = (bytes: number) => `${(bytes / GIB).toFixed(bytes % GIB === 0 ? 0 : 2)} GB`;
const utc = (value: string | Date | null | undefined) =>
  value ? `${new Date(value).toISOString().replace("T", " ").slice(0, 16)} UTC` : "—";

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
        {gb(used)} used of {gb(total)} ({percent}%)
      </span>
    </div>
  );
}

export default async function TravelerPage({ params }: { params: Promise<{ externalUserId: string }> }) {
  const staff = await requireStaff(...rolesFor("travelers.search"));
  const externalUserId = decodeURIComponent((await params).externalUserId);
  const fetchedAt = new Date();
  let live: UserDashboard | null = null;
  let problem: string | null = null;
  let unknownAtHubby = false;
  const hubby = await hubbyFor(staff);
  try {
    live = await hubby.getUserDashboard(externalUserId);
  } catch (error) {
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
          {unknownAtHubby
            ? `Neither the console nor Hubby knows a traveler “${externalUserId}”.`
            : `The console has no traveler “${externalUserId}”, and Hubby could not be asked: ${problem}`}{" "}
          Check the id (external_user_id is case-sensitive) or{" "}
          <Link className="underline" href="/travelers">
            search again
          </Link>
          .
        </p>
      </div>
    );
  }
  const [timeline, devices] = await Promise.all([travelerTimeline(externalUserId), compatibleDevices(hubby)]);
  const esim = live?.current_esim ?? null;
  const lpa = esim?.qr ? parseLpa(esim.qr) : null;
  const qrSvg = esim?.qr ? await QRCode.toString(esim.qr, { type: "svg", margin: 1, width: 160 }) : null;
  const mayRedeem = can(staff.role, "travelers.redeem");
  const lastKnown = stored.traveler?.lastSeenAt ?? null;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <Link href="/travelers" className="text-sm text-muted-foreground hover:underline">
            ← Travelers
          </Link>
          <h1 className="mt-1 font-mono text-xl font-semibold">{externalUserId}</h1>
          <p className="text-xs text-muted-foreground">
            {live ? `Live from Hubby, fetched ${utc(fetchedAt)}.` : "Stored state only."}{" "}
            <Link className="underline" href={`/travelers/${encodeURIComponent(externalUserId)}`}>
              Refresh
            </Link>
          </p>
        </div>
      </div>

      {!live && (
        <p
          role="alert"
          className="flex items-center gap-2 rounded-md bg-amber-100 p-3 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
        >
          <AlertTriangle className="h-4 w-4" aria-hidden />
          {unknownAtHubby
            ? "Hubby does not know this traveler any more."
            : `Hubby could not be reached: ${problem}`}{" "}
          Showing what the console stored from webhooks, last updated {utc(lastKnown)}.
        </p>
      )}

      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>eSIM</CardTitle>
            <CardDescription>
              {live
                ? esim
                  ? (esimStatusWords[esim.status] ?? esim.status)
                  : "No eSIM yet: the traveler is waiting for a booking."
                : stored.traveler?.esimState
                  ? `Last known: ${stored.traveler.esimState} (${utc(stored.traveler.esimStateAt)})`
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
            <CardDescription>Packages booked for this traveler, waiting to be redeemed onto the eSIM.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm">
            {!live ? (
              <p className="text-muted-foreground">Needs Hubby.</p>
            ) : live.package_queues.length === 0 ? (
              <p className="text-muted-foreground">Nothing queued.</p>
            ) : (
              <ul className="flex flex-col gap-2">
                {live.package_queues.map((queue) => {
                  const spec = queue.package_specification;
                  const label = [String(spec?.destination ?? spec?.iso3 ?? "?"), spec?.bytes ? gb(spec.bytes) : null]
                    .filter(Boolean)
                    .join(" · ");
                  return (
                    <li
                      key={queue.id}
                      className="flex flex-wrap items-center justify-between gap-2 rounded border p-2"
                      data-testid={`queue-${queue.id}`}
                    >
                      <span>
                        <span className="font-medium">{label}</span>{" "}
                        <span className="text-muted-foreground">
                          · {spec?.duration_days ?? "?"} days · queued {utc(queue.created_at)}
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
            {live ? `As of ${utc(fetchedAt)}.` : "From webhooks (usage as last reported)."}
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          {live ? (
            live.current_esim_packages.length === 0 ? (
              <p className="text-muted-foreground">No package on the eSIM yet.</p>
            ) : (
              live.current_esim_packages.map((pkg, index) => {
                const total = typeof pkg.total_bytes === "number" ? pkg.total_bytes : null;
                const used = typeof pkg.used_bytes === "number" ? pkg.used_bytes : null;
                const expires = typeof pkg.expires_at === "string" ? pkg.expires_at : null;
                const daysLeft = expires
                  ? Math.max(0, Math.ceil((Date.parse(expires) - fetchedAt.getTime()) / 86_400_000))
                  : null;
                return (
                  <div key={String(pkg.id ?? index)} className="flex flex-col gap-1 rounded border p-2">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">{String(pkg.destination ?? pkg.destination_iso3 ?? "?")}</span>
                      <Badge variant={pkg.status === "ACTIVE" ? "success" : "default"}>{pkg.status ?? "?"}</Badge>
                      <span className="text-muted-foreground">
                        {pkg.date_activated ? `activated ${utc(String(pkg.date_activated))}` : "not activated yet"}
                        {daysLeft !== null ? ` · ${daysLeft} days left` : ""}
                      </span>
                    </div>
                    {total !== null && used !== null && (
                      <Meter used={used} total={total} label={`Data used, ${String(pkg.destination ?? "")}`} />
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
                  usage {pkg.usagePercent}% · expires {utc(pkg.expiresAt)}
                </span>
              </div>
            ))
          )}
        </CardContent>
      </Card>

      <TravelerActions externalUserId={externalUserId} devices={devices} />

      <Card>
        <CardHeader>
          <CardTitle>Timeline</CardTitle>
          <CardDescription>
            Webhooks, staff actions and Hubby API calls for this traveler, newest first.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {timeline.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing yet.</p>
          ) : (
            <ol className="flex flex-col gap-1 text-sm" data-testid="timeline">
              {timeline.map((entry, index) => (
                <li key={`${entry.at}-${index}`} className="flex flex-wrap items-baseline gap-2">
                  <span className="w-40 shrink-0 text-xs text-muted-foreground">{utc(entry.at)}</span>
                  <Badge variant={entry.kind === "webhook" ? "info" : entry.kind === "staff" ? "success" : "default"}>
                    {entry.kind}
                  </Badge>
                  {entry.href ? (
                    <Link href={entry.href} className="font-mono text-xs hover:underline">
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
        </CardContent>
      </Card>
    </div>
  );
}
