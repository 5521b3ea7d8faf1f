import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/roles";
import { requirePermission } from "@/lib/auth/staff";
import { getBookingIntent } from "@/lib/bookings/queries";
import { formatMoney } from "@/lib/bookings/quote";
import { parseRouteParams, uuidRouteParams } from "@/lib/url-params";
import { promoCodesHref } from "@/lib/promo-codes/filters";
import { promoCodesOfIntent } from "@/lib/promo-codes/queries";
import { Badge } from "@/components/ui/badge";
import { intentStatusVariant, KIND_LABELS } from "../booking-table";
import { IntentActions } from "./intent-actions";
import { utcStamp } from "@/lib/format";

export const metadata: Metadata = { title: "Booking" };

const time = (iso: string | null) => utcStamp(iso, { precision: "second" });

function Json({ value, testId, label }: { value: unknown; testId: string; label: string }) {
  return (
    // Scrolls: focusable and named, so the keyboard reaches all of it (axe: scrollable-region-focusable).
    <pre
      className="max-h-96 overflow-auto rounded-md bg-muted p-3 text-xs"
      data-testid={testId}
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
    </pre>
  );
}

export default async function BookingPage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await requirePermission("bookings.view");
  const route = parseRouteParams(uuidRouteParams, await params);
  const intent = route && (await getBookingIntent(route.id));
  if (!intent) notFound();
  const mayAct = may(staff, "bookings.act", intent);
  const money = (cents: number | null) => (cents === null ? "—" : formatMoney(cents, intent.currency ?? "EUR"));
  const promoCodes = intent.kind === "promo_codes" ? await promoCodesOfIntent(intent.id) : [];

  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href="/bookings" className="text-sm text-muted-foreground hover:underline">
          ← Bookings
        </Link>
        <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold">
          {KIND_LABELS[intent.kind]}{" "}
          <Badge variant={intentStatusVariant[intent.status]} data-testid="intent-status">
            {intent.status}
          </Badge>
        </h1>
        <p className="font-mono text-xs text-muted-foreground">reference {intent.reference}</p>
      </div>

      {intent.error && (
        <p role="alert" className="rounded-md bg-red-100 p-2 text-sm text-red-900 dark:bg-red-900/40 dark:text-red-100">
          {intent.error}
          {intent.errorField ? ` (field: ${intent.errorField})` : ""}
        </p>
      )}

      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
        <dt className="text-muted-foreground">Hubby booking</dt>
        <dd className="font-mono text-xs" data-testid="hubby-booking-id">
          {intent.hubbyBookingId ?? "—"}
        </dd>
        <dt className="text-muted-foreground">Issued by</dt>
        <dd>{intent.actorEmail}</dd>
        <dt className="text-muted-foreground">Travelers</dt>
        <dd className="flex flex-wrap gap-1 font-mono text-xs">
          {intent.travelers.map((traveler) => (
            <Link key={traveler} href={`/travelers/${encodeURIComponent(traveler)}`} className="hover:underline">
              {traveler}
            </Link>
          ))}
        </dd>
        <dt className="text-muted-foreground">Destinations</dt>
        <dd>{intent.destinations.join(", ")}</dd>
        <dt className="text-muted-foreground">B2B cost</dt>
        <dd>{money(intent.costCents)}</dd>
        <dt className="text-muted-foreground">B2C price</dt>
        <dd>{money(intent.priceCents)}</dd>
        <dt className="text-muted-foreground">Created</dt>
        <dd>{time(intent.createdAt)}</dd>
        <dt className="text-muted-foreground">Sent / settled</dt>
        <dd>
          {time(intent.sentAt)} / {time(intent.settledAt)}
        </dd>
        <dt className="text-muted-foreground">POST attempts</dt>
        <dd>{intent.attempts}</dd>
        {intent.reason && (
          <>
            <dt className="text-muted-foreground">Reason</dt>
            <dd className="col-span-3" data-testid="intent-reason">
              {intent.reason}
            </dd>
          </>
        )}
      </dl>

      {intent.kind === "promo_codes" && (
        <section
          className="flex flex-col gap-1 text-sm"
          aria-labelledby="codes-heading"
          data-testid="intent-promo-codes"
        >
          <h2 id="codes-heading" className="font-semibold">
            Promo codes
          </h2>
          {promoCodes.length > 0 ? (
            <p>
              {promoCodes.length} code{promoCodes.length === 1 ? "" : "s"} stored (
              {promoCodes.filter((code) => code.status === "redeemed").length} redeemed):{" "}
              <span className="font-mono text-xs">{promoCodes.map((code) => code.code).join(", ")}</span>.{" "}
              <Link className="underline" href={promoCodesHref({ intent: intent.id })}>
                With their claim and deep links
              </Link>
            </p>
          ) : (
            <p className="text-muted-foreground">
              {intent.status === "SENT"
                ? "None stored: Hubby's reply for this booking listed no codes (a booking marked as issued, or found again without its reply). Ask Hubby for them."
                : "None yet: Hubby has not confirmed this booking."}
            </p>
          )}
        </section>
      )}

      {mayAct && (intent.status === "UNKNOWN" || intent.status === "FAILED" || intent.abandoned) && (
        <IntentActions intentId={intent.id} status={intent.status} />
      )}

      <section className="flex flex-col gap-2" aria-labelledby="history-heading">
        <h2 id="history-heading" className="text-sm font-semibold">
          History
        </h2>
        <ol className="flex flex-col gap-1 text-sm" data-testid="intent-history">
          {intent.events.map((event) => (
            <li key={event.id} className="flex flex-wrap gap-2">
              <span className="text-muted-foreground">{time(event.at)}</span>
              <span className="font-mono text-xs">
                {event.from ?? "—"} → {event.to}
              </span>
              <span>{event.note}</span>
              {event.actorEmail && <span className="text-muted-foreground">by {event.actorEmail}</span>}
            </li>
          ))}
        </ol>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <section className="flex flex-col gap-2">
          <h2 className="text-sm font-semibold">Request (POST /api/bookings)</h2>
          <Json value={intent.payload} testId="intent-request" label="Request sent to Hubby" />
        </section>
        <section className="flex flex-col gap-2">
          <h2 className="text-sm font-semibold">Hubby&apos;s booking</h2>
          <Json value={intent.response} testId="intent-response" label="Hubby's booking" />
        </section>
      </div>

      <section className="flex flex-col gap-2" aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading" className="text-sm font-semibold">
          Webhooks that followed
        </h2>
        {intent.webhooks.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            {intent.hubbyBookingId ? "None yet." : "None: Hubby has not confirmed this booking."}
          </p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {intent.webhooks.map((event) => (
              <li key={event.id} className="flex flex-wrap gap-2">
                <span className="text-muted-foreground">{time(event.receivedAt)}</span>
                <Link href={`/webhooks/${event.id}`} className="font-mono text-xs hover:underline">
                  {event.eventType}
                </Link>
                {event.externalUserId && <span className="font-mono text-xs">{event.externalUserId}</span>}
                {event.packageId && <span className="font-mono text-xs text-muted-foreground">{event.packageId}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
