import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePermission } from "@/lib/auth/staff";
import { findEndpoint } from "@/lib/forwarding/endpoints";
import { endpointHealth } from "@/lib/forwarding/queries";
import { utcStamp } from "@/lib/format";
import { parseRouteParams } from "@/lib/url-params";
import { Panel } from "@/components/ui/panel";
import { formatHealth } from "../../shared";
import { DeliveryHealthChart } from "../../lazy-charts";
import { EditEndpointForm } from "../../endpoint-form";
import { DeleteEndpoint, RecoverFailed, RotateSecret, SendTestEvent } from "../../commands";

export const metadata: Metadata = { title: "Forwarding endpoint" };

const dayBefore = (date: Date) => new Date(date.getTime() - 86_400_000);

const routeParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export default async function EndpointPage({ params }: { params: Promise<Record<string, string>> }) {
  await requirePermission("forwarding.manage");
  const parsed = parseRouteParams(routeParams, await params);
  if (!parsed) notFound();
  const endpoint = await findEndpoint(parsed.id);
  if (!endpoint) notFound();
  const health = (await endpointHealth([endpoint.id])).get(endpoint.id);
  // "Recover" proposes the last 24 hours; the field is read as UTC.
  const defaultSince = dayBefore(new Date()).toISOString().slice(0, 16);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href="/forwarding" className="text-sm underline">
          Forwarding
        </Link>
        <h1 className="break-all font-mono text-lg font-semibold">{endpoint.url}</h1>
        <p className="text-sm text-muted-foreground">
          {endpoint.readOnly
            ? "Declared in HUBBY_FORWARD_ENDPOINTS: change it there (read-only here)."
            : `Added ${utcStamp(endpoint.createdAt)}.`}
        </p>
      </div>
      <Panel headingId="health-heading" title="Health, last 24 hours">
        <p className="text-sm" data-testid="endpoint-health">
          {formatHealth(health)}
        </p>
        {health && <DeliveryHealthChart series={health.series} />}
        <Link href={`/forwarding/log?endpoint=${endpoint.id}`} className="text-sm underline">
          Delivery log of this endpoint
        </Link>
      </Panel>
      <Panel headingId="commands-heading" title="Deliveries">
        <SendTestEvent id={endpoint.id} />
        <RecoverFailed id={endpoint.id} defaultSince={defaultSince} />
      </Panel>
      {!endpoint.readOnly && (
        <>
          <Panel headingId="settings-heading" title="Settings">
            <EditEndpointForm
              id={endpoint.id}
              values={{
                url: endpoint.url,
                description: endpoint.description,
                eventTypes: endpoint.eventTypes,
                enabled: endpoint.enabled && endpoint.disabledAt === null,
                ordered: endpoint.ordered,
                rateLimitPerSecond: endpoint.rateLimitPerSecond,
                headers: endpoint.headers,
              }}
            />
          </Panel>
          <Panel headingId="secret-heading" title="Signing secret">
            <p className="text-sm text-muted-foreground">
              {endpoint.previousSecretUntil && endpoint.previousSecretUntil > new Date()
                ? `Rotated: the previous secret also signs until ${utcStamp(endpoint.previousSecretUntil)}.`
                : "The secret was shown once, when it was made."}
            </p>
            <div className="flex gap-2">
              <RotateSecret id={endpoint.id} />
              <DeleteEndpoint id={endpoint.id} />
            </div>
          </Panel>
        </>
      )}
    </div>
  );
}
