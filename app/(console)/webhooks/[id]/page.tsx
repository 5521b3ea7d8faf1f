import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/staff";
import { may } from "@/lib/auth/roles";
import { getWebhookEvent } from "@/lib/webhooks/queries";
import { utcStamp } from "@/lib/format";
import { parseRouteParams } from "@/lib/url-params";
import { latestReconciliation } from "@/lib/webhooks/reconcile";
import { Badge } from "@/components/ui/badge";
import { statusVariant } from "../webhook-table";
import { ReconciliationPanel } from "../reconciliation-panel";
import { ReplayPanel } from "./replay-panel";

export const metadata: Metadata = { title: "Webhook event" };

function prettyBody(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="break-all">{children}</dd>
    </>
  );
}

/** Webhook events are numbered (a bigint): at most 18 digits, so every id fits. */
const webhookEventRouteParams = z.object({ id: z.string().regex(/^\d{1,18}$/) });

const utc = (value: string | null) => utcStamp(value, { precision: "millisecond" });

/** The inbox narrowed to this event's traveler, booking or package. */
function InboxLink({ param, value }: { param: string; value: string | null }) {
  if (!value) return "—";
  return (
    <Link className="font-mono hover:underline" href={`/webhooks?${new URLSearchParams({ [param]: value })}`}>
      {value}
    </Link>
  );
}

export default async function WebhookEventPage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await requirePermission("webhooks.view");
  const route = parseRouteParams(webhookEventRouteParams, await params);
  const event = route && (await getWebhookEvent(route.id));
  if (!event) notFound();

  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href="/webhooks" className="text-sm text-muted-foreground hover:underline">
          ← Webhooks
        </Link>
        <h1 className="mt-1 flex flex-wrap items-center gap-2 text-xl font-semibold">
          <code>{event.eventType}</code>
          <Badge variant={statusVariant[event.status]}>{event.status}</Badge>
        </h1>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="rounded-lg border p-4" aria-labelledby="event-facts">
          <h2 id="event-facts" className="mb-2 text-sm font-semibold">
            Event
          </h2>
          <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1 text-sm">
            <Row label="Stored as">#{event.id}</Row>
            <Row label="Received">{utc(event.receivedAt)}</Row>
            <Row label="Event time">{utc(event.eventAt)}</Row>
            <Row label="Event id">
              {event.eventId ?? <span className="text-muted-foreground">none (deduplicated on the body hash)</span>}
            </Row>
            <Row label="Dedupe key">
              <code className="text-xs">{event.dedupeKey}</code>
            </Row>
            <Row label="Duplicates">
              {event.duplicates}
              {event.lastDuplicateAt ? `, last ${utc(event.lastDuplicateAt)}` : ""}
            </Row>
            <Row label="Handler runs">{event.attempts}</Row>
            <Row label="Processed">{utc(event.processedAt)}</Row>
            <Row label="Result">
              {event.error ?? (event.status === "processed" ? "Applied to the console's model." : "—")}
            </Row>
            <Row label="Traveler">
              <InboxLink param="user" value={event.externalUserId} />
            </Row>
            <Row label="Booking">
              <InboxLink param="booking" value={event.bookingId} />
            </Row>
            <Row label="Package">
              <InboxLink param="package" value={event.packageId} />
            </Row>
          </dl>
        </section>
        <section className="rounded-lg border p-4" aria-labelledby="event-headers">
          <h2 id="event-headers" className="mb-2 text-sm font-semibold">
            Headers (selected; never the API key)
          </h2>
          <dl className="grid grid-cols-[12rem_1fr] gap-x-3 gap-y-1 text-sm">
            {Object.entries(event.headers).map(([name, value]) => (
              <Row key={name} label={name}>
                <code className="text-xs">{value}</code>
              </Row>
            ))}
          </dl>
        </section>
      </div>
      <section className="rounded-lg border p-4" aria-labelledby="event-body">
        <h2 id="event-body" className="mb-2 text-sm font-semibold">
          Body
        </h2>
        {event.exactByteCount !== null && (
          <p className="mb-2 text-sm text-muted-foreground">
            The body was not UTF-8 text: it is shown with � in place of the bytes that were not, and its exact{" "}
            {event.exactByteCount} bytes are kept.
          </p>
        )}
        <pre
          className="max-h-[32rem] overflow-auto rounded bg-muted p-3 text-xs"
          data-testid="webhook-body"
          // Scrolls: focusable and named, so the keyboard reaches all of it (axe: scrollable-region-focusable).
          role="region"
          aria-label="Event body"
          tabIndex={0}
        >
          {prettyBody(event.rawBody)}
        </pre>
      </section>
      {may(staff, "webhooks.replay") && <ReplayPanel id={event.id} />}
      {may(staff, "webhooks.reconcile") && event.externalUserId && (
        <ReconciliationPanel
          run={await latestReconciliation(event.externalUserId)}
          externalUserId={event.externalUserId}
        />
      )}
    </div>
  );
}
