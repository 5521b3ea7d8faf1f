import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePermission } from "@/lib/auth/staff";
import { auditTarget, detailLines, named } from "@/lib/audit/describe";
import { AUDIT_DETAIL_TRAVELERS, findAuditEntry } from "@/lib/audit/queries";
import { formatNumber, utcStamp } from "@/lib/format";
import { parseRouteParams } from "@/lib/url-params";
import { Badge } from "@/components/ui/badge";
import { Fact, FactList } from "@/components/ui/fact-list";
import { Panel } from "@/components/ui/panel";

export const metadata: Metadata = { title: "Audit entry" };

/** Entries are numbered (a bigint): at most 18 digits, so every id fits. */
const auditRouteParams = z.object({ id: z.string().regex(/^\d{1,18}$/) });

const resultVariant = { ok: "success", error: "danger", refused: "warning" } as const;

function TravelerLink({ id }: { id: string }) {
  return (
    <Link className="font-mono text-xs hover:underline" href={`/travelers/${encodeURIComponent(id)}`}>
      {id}
    </Link>
  );
}

export default async function AuditEntryPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission("audit.read");
  const route = parseRouteParams(auditRouteParams, await params);
  const entry = route && (await findAuditEntry(route.id));
  if (!entry) notFound();
  const lines = detailLines(entry.details, entry.names);
  const target = auditTarget(entry, entry.names);
  const travelerCount = entry._count.travelers;

  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href="/audit" className="text-sm text-muted-foreground hover:underline">
          ← Audit log
        </Link>
        <h1 className="mt-1 flex flex-wrap items-center gap-2 text-xl font-semibold">
          <code>{entry.action}</code>
          <Badge variant={resultVariant[entry.result as keyof typeof resultVariant] ?? "default"}>{entry.result}</Badge>
        </h1>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel headingId="audit-entry-facts" title="Who, what, on whom">
          <FactList>
            <Fact label="Time">{utcStamp(entry.at, { precision: "millisecond" })}</Fact>
            <Fact label="Actor">
              {entry.actorId || entry.actorEmail ? (
                <>
                  {entry.actorId ? named(entry.actorId, entry.names) : entry.actorEmail}
                  {entry.actorEmail && <span className="text-muted-foreground"> ({entry.actorEmail})</span>}
                </>
              ) : (
                "system"
              )}
            </Fact>
            <Fact label="Action">
              <code className="text-xs">{entry.action}</code>
            </Fact>
            <Fact label="Target">{target.title ? `${target.text} (${target.title})` : target.text}</Fact>
            <Fact label="Traveler">{entry.externalUserId ? <TravelerLink id={entry.externalUserId} /> : "—"}</Fact>
            <Fact label="Result">{entry.result}</Fact>
            <Fact label="Request id">
              {entry.requestId ? (
                <>
                  <code className="text-xs">{entry.requestId}</code>{" "}
                  <Link
                    className="text-xs text-muted-foreground underline"
                    href={`/audit?${new URLSearchParams({ q: entry.requestId })}`}
                  >
                    entries of this request
                  </Link>
                </>
              ) : (
                "—"
              )}
            </Fact>
          </FactList>
        </Panel>
        <Panel headingId="audit-entry-details" title="Details">
          {lines.length === 0 ? (
            <p className="text-sm text-muted-foreground">No details recorded.</p>
          ) : (
            <FactList>
              {lines.map((line) => (
                <Fact key={line.label} label={line.label}>
                  <span className="whitespace-pre-wrap">{line.value}</span>
                </Fact>
              ))}
            </FactList>
          )}
        </Panel>
      </div>
      {travelerCount > 0 && (
        <Panel
          headingId="audit-entry-travelers"
          title={`Travelers this read gave out (${formatNumber(travelerCount)})`}
        >
          <ul className="flex flex-wrap gap-x-3 gap-y-1">
            {entry.travelers.map((traveler) => (
              <li key={traveler.externalUserId}>
                <TravelerLink id={traveler.externalUserId} />
              </li>
            ))}
          </ul>
          {travelerCount > AUDIT_DETAIL_TRAVELERS && (
            <p className="text-xs text-muted-foreground">
              The first {AUDIT_DETAIL_TRAVELERS} by id; the{" "}
              <Link className="underline" href="/audit">
                audit log&apos;s Traveler filter
              </Link>{" "}
              finds this entry from any of them.
            </p>
          )}
        </Panel>
      )}
    </div>
  );
}
