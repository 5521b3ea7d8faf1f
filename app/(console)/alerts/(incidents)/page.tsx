import type { Metadata } from "next";
import { IntentLink } from "@/components/list/intent-link";
import { requirePermission } from "@/lib/auth/staff";
import { may } from "@/lib/auth/roles";
import {
  incidentQuerySchema,
  incidentStateLabels,
  listIncidents,
  markIncidentsSeen,
  visibleRuleKeys,
  type IncidentRow,
} from "@/lib/alerts/incidents";
import { alertRules } from "@/lib/alerts/rules";
import { utcStamp } from "@/lib/format";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { DataTable, type Column } from "@/components/data-table";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { FilterBar, SelectFilter } from "@/components/list/filter-bar";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { Badge } from "@/components/ui/badge";
import { AcknowledgeButton } from "./acknowledge-button";

export const metadata: Metadata = { title: "Alerts" };

function State({ row }: { row: IncidentRow }) {
  if (row.resolvedAt) return <Badge variant="success">resolved</Badge>;
  if (row.acknowledgedAt) return <Badge variant="info">acknowledged</Badge>;
  return <Badge variant="danger">open</Badge>;
}

const columns: Column<IncidentRow>[] = [
  { id: "state", header: "State", cell: (row) => <State row={row} /> },
  {
    id: "incident",
    header: "Incident",
    className: "max-w-xl",
    cell: (row) => (
      <div className="flex flex-col gap-1">
        <IntentLink href={row.link} className="font-medium underline-offset-2 hover:underline">
          {row.title}
        </IntentLink>
        <span className="text-xs text-muted-foreground">{row.summary}</span>
        <span className="text-xs text-muted-foreground">{row.ruleLabel}</span>
        {row.deliveryError && <span className="text-xs text-destructive">Not delivered: {row.deliveryError}</span>}
      </div>
    ),
  },
  {
    id: "opened",
    header: "Opened (UTC)",
    className: "whitespace-nowrap",
    cell: (row) => (
      <>
        {utcStamp(row.openedAt)}
        {row.reminders > 0 && <span className="block text-xs text-muted-foreground">reminded {row.reminders}×</span>}
      </>
    ),
  },
  {
    id: "acknowledged",
    header: "Acknowledged",
    cell: (row) =>
      row.acknowledgedAt ? (
        <span data-testid={`acknowledged-by-${row.id}`}>
          {row.acknowledgedBy}
          <span className="block text-xs text-muted-foreground">{utcStamp(row.acknowledgedAt)}</span>
        </span>
      ) : row.resolvedAt ? (
        "—"
      ) : (
        <AcknowledgeButton id={row.id} />
      ),
  },
  {
    id: "resolved",
    header: "Resolved (UTC)",
    className: "whitespace-nowrap",
    cell: (row) => (row.resolvedAt ? utcStamp(row.resolvedAt) : "—"),
  },
];

export default async function AlertsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("alerts.view");
  const { values: query, ignored } = parseSearchParams(incidentQuerySchema, await searchParams);
  const { rows, total, pageSize } = await listIncidents(staff, query);
  // This page shows every incident there is to see: the bell counts from here.
  await markIncidentsSeen(staff.id);
  const rules = visibleRuleKeys(staff).map((key) => [key, alertRules[key].label] as const);
  return (
    <div className="flex flex-col gap-4">
      <ListHeader title="Alerts">
        Incidents the alert rules opened: open until their condition is no longer true, reminded while nobody has
        acknowledged them.{" "}
        {may(staff, "alerts.manage") ? (
          <IntentLink href="/alerts/rules" className="underline">
            Rules and chat webhook
          </IntentLink>
        ) : (
          "Admins set the rules."
        )}{" "}
        Choose your alert emails on{" "}
        <IntentLink href="/account#alert-emails" className="underline">
          My account
        </IntentLink>
        .
      </ListHeader>
      <IgnoredParamsNotice names={ignored} />
      <FilterBar action="/alerts" state={query} filtered={isFiltered(incidentQuerySchema, query)}>
        <SelectFilter name="state" label="State" value={query.state} all="All" options={incidentStateLabels} />
        <SelectFilter name="rule" label="Rule" value={query.rule} all="All rules" options={rules} />
        {query.incident && <input type="hidden" name="incident" value={query.incident} />}
      </FilterBar>
      <DataTable columns={columns} rows={rows} empty="No incidents." testIdPrefix="incident-" />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
