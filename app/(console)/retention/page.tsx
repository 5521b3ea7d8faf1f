import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";
import { may } from "@/lib/auth/roles";
import { archiveStoreSettings } from "@/lib/env";
import { formatNumber, utcStamp } from "@/lib/format";
import { queues } from "@/lib/jobs/queues";
import { lastRetentionRuns, retentionJobNames, retentionJobs, type RetentionLastRun } from "@/lib/retention/jobs";
import { archivesPage, retentionQuerySchema, webhookMonthRows } from "@/lib/retention/queries";
import { retentionSettingsView } from "@/lib/retention/settings";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { Pagination } from "@/components/pagination";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RunRetentionNow } from "./run-now";
import { RetentionSettingsForm } from "./settings-form";

export const metadata: Metadata = { title: "Retention" };

/** "at 02:23 UTC" for the daily cron "23 2 * * *". */
function dailyAt(cron: string): string {
  const [minute, hour] = cron.split(" ");
  return `Daily at ${hour!.padStart(2, "0")}:${minute!.padStart(2, "0")} UTC`;
}

function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 ** 2) return `${(value / 1024).toFixed(1)} KiB`;
  if (value < 1024 ** 3) return `${(value / 1024 ** 2).toFixed(1)} MiB`;
  return `${(value / 1024 ** 3).toFixed(2)} GiB`;
}

/** One line saying what a run did, from its audit entry's details. */
function runSummary(run: RetentionLastRun): string {
  const details = run.details ?? {};
  const failure = details.failure as { month?: string; message?: string } | null | undefined;
  const done = (() => {
    if (Array.isArray(details.months)) {
      const months = details.months as { month: string }[];
      return months.length === 0
        ? "No month was due."
        : `${months.map((m) => m.month).join(", ")} archived and dropped (${formatNumber(Number(details.rowsDropped ?? 0))} events).`;
    }
    if (typeof details.deleted === "number") return `${formatNumber(details.deleted)} deleted.`;
    return "";
  })();
  if (!failure) return done;
  return `${done} Failed${failure.month ? ` on ${failure.month}` : ""}: ${failure.message ?? "unknown error"}`.trim();
}

export default async function RetentionPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("retention.view");
  const { values: query, ignored } = parseSearchParams(retentionQuerySchema, await searchParams);
  const view = await retentionSettingsView();
  const [months, archives, runs] = await Promise.all([
    webhookMonthRows(view.current.webhookMonths),
    archivesPage(query),
    lastRetentionRuns(),
  ]);
  const store = archiveStoreSettings();
  const manage = may(staff, "retention.manage");
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-xl font-semibold">Retention</h1>
        <p className="text-sm text-muted-foreground">
          How long the console keeps Hubby&apos;s webhook events, the Hubby API log and the audit log. Every day, each
          whole month of webhook events past its retention is written to a gzipped NDJSON archive, read back and
          counted, and only then deleted; API log rows and audit entries past theirs are deleted.
        </p>
      </div>
      <IgnoredParamsNotice names={ignored} />

      <Panel headingId="retention-settings" title="Periods">
        {manage ? (
          <RetentionSettingsForm current={view.current} defaults={view.defaults} />
        ) : (
          <p className="text-sm">
            Webhooks {view.current.webhookMonths} months, API log {view.current.apiLogDays} days, audit log{" "}
            {view.current.auditYears} years.
          </p>
        )}
        <p className="text-xs text-muted-foreground" data-testid="retention-saved">
          {view.saved
            ? `Saved ${utcStamp(view.saved.at)}${view.saved.byEmail ? ` by ${view.saved.byEmail}` : ""}; the environment's defaults no longer apply.`
            : "The environment's defaults apply: nobody has saved values here yet."}{" "}
          The audit log is kept at least a year.
        </p>
      </Panel>

      <Panel headingId="retention-jobs" title="Jobs">
        <Table aria-label="Retention jobs">
          <TableHeader>
            <TableRow>
              <TableHead>Job</TableHead>
              <TableHead>Schedule</TableHead>
              <TableHead>Last run (UTC)</TableHead>
              <TableHead>Outcome</TableHead>
              {manage && (
                <TableHead>
                  <span className="sr-only">Action</span>
                </TableHead>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {retentionJobNames.map((job) => {
              const run = runs[job];
              const declaration = queues[retentionJobs[job].queue];
              return (
                <TableRow key={job} data-testid={`retention-job-${job}`}>
                  <TableCell>{retentionJobs[job].label}</TableCell>
                  <TableCell className="whitespace-nowrap">{dailyAt(declaration.schedule.cron)}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    {run ? utcStamp(run.at, { precision: "second", suffix: false }) : "Not run yet"}
                  </TableCell>
                  <TableCell className="max-w-md break-words">
                    {run ? (
                      <div className="flex flex-col gap-1">
                        <Badge variant={run.ok ? "success" : "danger"} className="w-fit">
                          {run.ok ? "ok" : "failed"}
                        </Badge>
                        <span className="text-xs">{runSummary(run)}</span>
                      </div>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  {manage && (
                    <TableCell>
                      <RunRetentionNow job={job} label={retentionJobs[job].label} />
                    </TableCell>
                  )}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Panel>

      <Panel headingId="retention-months" title="Stored webhook months">
        {months.length === 0 ? (
          <p className="text-sm text-muted-foreground">No webhook events are stored.</p>
        ) : (
          <Table aria-label="Stored webhook months">
            <TableHeader>
              <TableRow>
                <TableHead>Month (UTC)</TableHead>
                <TableHead className="text-right">Events</TableHead>
                <TableHead>Retention</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {months.map((month) => (
                <TableRow key={month.month} data-testid={`retention-month-${month.month}`}>
                  <TableCell className="font-mono">{month.month}</TableCell>
                  <TableCell className="text-right">{formatNumber(month.rows)}</TableCell>
                  <TableCell>
                    {month.due ? (
                      <Badge variant="warning">Due: archived and dropped at the next run</Badge>
                    ) : (
                      <span className="text-sm text-muted-foreground">
                        Kept until {utcStamp(month.dueFrom, { precision: "day", suffix: false })}
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Panel>

      <Panel headingId="retention-archives" title="Archives">
        <p className="text-sm text-muted-foreground">
          Written to{" "}
          <span className="font-mono">
            {store.kind === "s3"
              ? `s3://${store.bucket}/${store.prefix}${store.endpoint ? ` at ${store.endpoint}` : ""}`
              : store.directory}
          </span>{" "}
          ({store.kind === "s3" ? "S3-compatible store" : "directory"}).
        </p>
        {archives.total === 0 ? (
          <p className="text-sm text-muted-foreground">No archive has been written yet.</p>
        ) : (
          <>
            <Table aria-label="Archives">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="text-right">Rows</TableHead>
                  <TableHead className="text-right">Size</TableHead>
                  <TableHead>Written (UTC)</TableHead>
                  <TableHead>State</TableHead>
                  <TableHead>Where</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {archives.rows.map((archive) => (
                  <TableRow key={archive.id} data-testid={`retention-archive-${archive.name}`}>
                    <TableCell className="font-mono text-xs">{archive.name}</TableCell>
                    <TableCell className="text-right">{formatNumber(archive.rows)}</TableCell>
                    <TableCell className="text-right whitespace-nowrap">{bytes(Number(archive.bytes))}</TableCell>
                    <TableCell className="whitespace-nowrap">
                      {utcStamp(archive.createdAt, { precision: "second", suffix: false })}
                    </TableCell>
                    <TableCell>
                      {archive.droppedAt ? (
                        <Badge variant="success">Verified, month dropped</Badge>
                      ) : archive.verifiedAt ? (
                        <Badge variant="warning">Verified, drop under way</Badge>
                      ) : (
                        <Badge variant="danger">Not verified: month kept</Badge>
                      )}
                    </TableCell>
                    <TableCell className="max-w-56 break-all font-mono text-xs" title={`SHA-256 ${archive.sha256}`}>
                      {archive.location}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Pagination page={query.page} pageSize={archives.pageSize} total={archives.total} />
          </>
        )}
      </Panel>
    </div>
  );
}
