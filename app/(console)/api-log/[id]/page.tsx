import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePermission } from "@/lib/auth/staff";
import { findApiCall } from "@/lib/hubby/api-log-queries";
import { formatNumber, utcStamp } from "@/lib/format";
import { parseRouteParams } from "@/lib/url-params";
import { DataTable } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";
import { Fact, FactList } from "@/components/ui/fact-list";
import { Panel } from "@/components/ui/panel";
import { apiCallColumns, statusBadge } from "../columns";

export const metadata: Metadata = { title: "Hubby API call" };

/** Calls are numbered (a bigint): at most 18 digits, so every id fits. */
const apiCallRouteParams = z.object({ id: z.string().regex(/^\d{1,18}$/) });

export default async function ApiCallPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission("apiLog.read");
  const route = parseRouteParams(apiCallRouteParams, await params);
  const call = route && (await findApiCall(route.id));
  if (!call) notFound();
  const badge = statusBadge(call);

  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href="/api-log" className="text-sm text-muted-foreground hover:underline">
          ← Hubby API log
        </Link>
        <h1 className="mt-1 flex flex-wrap items-center gap-2 text-xl font-semibold">
          <code>{call.endpoint}</code>
          <Badge variant={badge.variant}>{badge.label}</Badge>
        </h1>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel headingId="api-call-request" title="Request">
          <FactList>
            <Fact label="Sent">{utcStamp(call.at, { precision: "millisecond" })}</Fact>
            <Fact label="Method">{call.method}</Fact>
            <Fact label="Path">
              <code className="break-all text-xs">{call.path}</code>
            </Fact>
            <Fact label="Environment">{call.environment}</Fact>
            <Fact label="Attempt">{call.attempt === 1 ? "first" : `retry, attempt ${call.attempt}`}</Fact>
            <Fact label="Request id">
              <code className="text-xs">{call.requestId}</code>
            </Fact>
            <Fact label="Staff">
              {call.staffName ? (
                <>
                  {call.staffName} <span className="text-muted-foreground">({call.staffEmail})</span>
                </>
              ) : (
                (call.staffEmail ?? <span className="text-muted-foreground">system (no staff member)</span>)
              )}
            </Fact>
            <Fact label="Traveler">
              {call.externalUserId ? (
                <Link
                  className="font-mono text-xs hover:underline"
                  href={`/travelers/${encodeURIComponent(call.externalUserId)}`}
                >
                  {call.externalUserId}
                </Link>
              ) : (
                "—"
              )}
            </Fact>
          </FactList>
          <p className="text-xs text-muted-foreground">
            The API secret, the request signature and the bodies are never recorded.
          </p>
        </Panel>
        <Panel headingId="api-call-response" title="Response">
          <FactList>
            <Fact label="Status">{call.status === null ? "no response" : call.status}</Fact>
            <Fact label="Outcome">{call.ok ? "succeeded" : "failed"}</Fact>
            <Fact label="Duration">{formatNumber(call.durationMs)} ms</Fact>
            <Fact label="Error kind">{call.errorKind ?? "—"}</Fact>
            <Fact label="Error code">{call.errorCode ? <code className="text-xs">{call.errorCode}</code> : "—"}</Fact>
            <Fact label="Error message">
              {call.errorMessage ? <span className="whitespace-pre-wrap">{call.errorMessage}</span> : "—"}
            </Fact>
          </FactList>
        </Panel>
      </div>
      <Panel headingId="api-call-attempts" title="Every attempt of this request">
        <DataTable
          label="Attempts of this request"
          columns={apiCallColumns}
          hidden={["staff", "traveler"]}
          rows={call.attempts}
          empty="No attempts recorded."
        />
      </Panel>
    </div>
  );
}
