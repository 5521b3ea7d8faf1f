import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "@/lib/auth/staff";
import { listEndpoints } from "@/lib/forwarding/endpoints";
import { endpointHealth, pendingCounts } from "@/lib/forwarding/queries";
import { DataTable, type Column } from "@/components/data-table";
import { ListHeader } from "@/components/list/list-header";
import { Badge } from "@/components/ui/badge";
import { formatHealth } from "./shared";
import { AddEndpointDialog } from "./endpoint-form";

export const metadata: Metadata = { title: "Forwarding" };

export default async function ForwardingPage() {
  await requirePermission("forwarding.manage");
  // Disabled endpoints are announced by the console layout's notice (disabled-endpoints-notice.tsx), on every page.
  const [endpoints, pending] = await Promise.all([listEndpoints(), pendingCounts()]);
  const health = await endpointHealth(endpoints.map((endpoint) => endpoint.id));
  type Row = (typeof endpoints)[number];
  const columns: Column<Row>[] = [
    {
      id: "url",
      header: "Endpoint",
      cell: (endpoint) => (
        <div className="flex flex-col">
          <Link href={`/forwarding/endpoints/${endpoint.id}`} className="font-mono text-xs underline">
            {endpoint.url}
          </Link>
          <span className="text-xs text-muted-foreground">{endpoint.description}</span>
        </div>
      ),
    },
    {
      id: "types",
      header: "Event types",
      cell: (endpoint) => (endpoint.eventTypes.length === 0 ? "All" : endpoint.eventTypes.join(", ")),
      className: "max-w-xs text-xs",
    },
    {
      id: "state",
      header: "State",
      cell: (endpoint) =>
        endpoint.disabledAt ? (
          <Badge variant="danger">disabled</Badge>
        ) : endpoint.enabled ? (
          <Badge variant="success">enabled</Badge>
        ) : (
          <Badge>paused</Badge>
        ),
    },
    { id: "source", header: "Source", cell: (endpoint) => (endpoint.readOnly ? "configuration" : "console") },
    { id: "pending", header: "Waiting", cell: (endpoint) => pending.get(endpoint.id) ?? 0, className: "text-right" },
    { id: "health", header: "Last 24 h", cell: (endpoint) => formatHealth(health.get(endpoint.id)) },
  ];
  return (
    <div className="flex flex-col gap-4">
      <ListHeader title="Forwarding">
        Every webhook Hubby delivers is stored, then forwarded to these endpoints of the partner&apos;s own systems,
        signed like Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Failed deliveries are retried
        for about 33 hours.
      </ListHeader>
      <div className="flex gap-2">
        <AddEndpointDialog />
        <Link href="/forwarding/log" className="self-start text-sm underline">
          Delivery log
        </Link>
      </div>
      <DataTable
        label="Endpoints"
        columns={columns}
        rows={endpoints}
        rowKey={(endpoint) => String(endpoint.id)}
        testIdPrefix="endpoint-"
        empty="No endpoints yet: add one, or declare them in HUBBY_FORWARD_ENDPOINTS."
      />
    </div>
  );
}
