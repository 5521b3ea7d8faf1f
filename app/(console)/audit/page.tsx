import { FilterField } from "@/components/ui/field";
import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";

import { auditQuerySchema, listAuditEntries } from "@/lib/audit/queries";
import { refusalReasonsOfLastDay } from "@/lib/audit/refusals";
import { Pagination } from "@/components/pagination";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";

export const metadata: Metadata = { title: "Audit log" };

const resultVariant = { ok: "success", error: "danger", refused: "warning" } as const;
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requirePermission("audit.read");
  const { values: query, ignored } = parseSearchParams(auditQuerySchema, await searchParams);
  const [{ rows, total, pageSize }, refusals] = await Promise.all([
    listAuditEntries(query),
    refusalReasonsOfLastDay("action"),
  ]);
  const refusedTotal = refusals.reduce((sum, entry) => sum + entry.count, 0);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">Audit log</h1>
        <p className="text-sm text-muted-foreground">
          Every sign-in and privileged action: who, what, on whom, and the result. Times in UTC.
        </p>
      </div>
      <IgnoredParamsNotice names={ignored} />
      {refusedTotal > 0 && (
        <p className="rounded-md border p-3 text-sm" data-testid="refused-without-session">
          Calls without a valid session refused in the last 24 hours: {refusedTotal} (counted per minute and source, not
          one entry each):{" "}
          {refusals.map((entry, index) => (
            <span key={entry.reason}>
              {index > 0 && ", "}
              <span className="font-mono text-xs">{entry.reason.replace(/^signed_out /, "")}</span> × {entry.count}
            </span>
          ))}
          .
        </p>
      )}
      <form className="flex flex-wrap items-end gap-2" role="search" action="/audit">
        <FilterField id="audit-q" label="Search audit log">
          <Input
            id="audit-q"
            name="q"
            defaultValue={query.q}
            placeholder="Action, actor email, target, request id"
            className="w-72"
          />
        </FilterField>
        <FilterField id="audit-result" label="Result">
          <Select id="audit-result" name="result" defaultValue={query.result} className="w-32">
            <option value="all">All</option>
            <option value="ok">OK</option>
            <option value="error">Error</option>
            <option value="refused">Refused</option>
          </Select>
        </FilterField>
        <FilterField id="audit-from" label="From">
          <Input id="audit-from" name="from" type="date" defaultValue={query.from} className="w-40" />
        </FilterField>
        <FilterField id="audit-to" label="To">
          <Input id="audit-to" name="to" type="date" defaultValue={query.to} className="w-40" />
        </FilterField>
        <Button type="submit" variant="outline">
          Apply
        </Button>
      </form>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Time (UTC)</TableHead>
            <TableHead>Actor</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Target</TableHead>
            <TableHead>Result</TableHead>
            <TableHead>Details</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.length === 0 ? (
            <TableRow>
              <TableCell colSpan={6} className="py-8 text-center text-muted-foreground">
                No audit entries match.
              </TableCell>
            </TableRow>
          ) : (
            rows.map((row) => (
              <TableRow key={row.id}>
                <TableCell className="whitespace-nowrap">{timeFormat.format(row.at)}</TableCell>
                <TableCell>{row.actorEmail ?? <span className="text-muted-foreground">system</span>}</TableCell>
                <TableCell>
                  <code className="text-xs">{row.action}</code>
                </TableCell>
                <TableCell className="max-w-48 truncate" title={row.targetId ?? undefined}>
                  {row.externalUserId ?? (row.targetType ? `${row.targetType} ${row.targetId ?? ""}` : "—")}
                </TableCell>
                <TableCell>
                  <Badge variant={resultVariant[row.result as keyof typeof resultVariant] ?? "default"}>
                    {row.result}
                  </Badge>
                </TableCell>
                <TableCell className="max-w-md">
                  <code
                    className="block truncate text-xs text-muted-foreground"
                    title={row.details ? JSON.stringify(row.details) : undefined}
                  >
                    {row.details ? JSON.stringify(row.details) : ""}
                  </code>
                  {row.requestId && <span className="text-xs text-muted-foreground">request {row.requestId}</span>}
                </TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
