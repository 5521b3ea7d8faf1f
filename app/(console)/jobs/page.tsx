import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";
import { failedJobs, openJobs, queueOverview, type JobSummary } from "@/lib/jobs/admin";
import { jobSystemStatus } from "@/lib/jobs/jobs";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { JobCommand } from "./job-command";
import { utcStamp } from "@/lib/format";

export const metadata: Metadata = { title: "Jobs" };

function when(date: Date | null) {
  return utcStamp(date, { precision: "second" });
}

function JobTable({
  jobs,
  command,
  empty,
  label,
}: {
  jobs: JobSummary[];
  command: "retry" | "cancel";
  empty: string;
  label: string;
}) {
  if (jobs.length === 0) return <p className="text-sm text-muted-foreground">{empty}</p>;
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>Queue</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Attempts</TableHead>
          <TableHead>{command === "retry" ? "Failed at" : "Starts"}</TableHead>
          <TableHead>Error</TableHead>
          <TableHead>Payload</TableHead>
          <TableHead>
            <span className="sr-only">Action</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.map((job) => (
          <TableRow key={job.id} data-testid={`job-${job.id}`}>
            <TableCell>{job.label}</TableCell>
            <TableCell>
              <Badge variant={job.state === "failed" ? "danger" : job.state === "retry" ? "warning" : "info"}>
                {job.state}
              </Badge>
            </TableCell>
            <TableCell>
              {job.attempts} of {job.maxAttempts}
            </TableCell>
            <TableCell className="whitespace-nowrap">{when(job.at)}</TableCell>
            <TableCell className="max-w-md break-words text-xs">{job.error ?? "—"}</TableCell>
            <TableCell className="font-mono text-xs">{JSON.stringify(job.data)}</TableCell>
            <TableCell>
              <JobCommand command={command} queue={job.queue} id={job.id} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export default async function JobsPage() {
  await requirePermission("jobs.manage");
  const status = jobSystemStatus();
  if (!status.running) {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-xl font-semibold">Jobs</h1>
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          The job system is not running in this instance
          {status.lastError ? ` (last error: ${status.lastError.message})` : ""}. Background work waits until it runs
          here or on another instance; see the server log.
        </p>
      </div>
    );
  }
  const [queues, failed, open] = await Promise.all([queueOverview(), failedJobs(), openJobs()]);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-xl font-semibold">Jobs</h1>
        <p className="text-sm text-muted-foreground">
          Background work of every instance: catalog reads, maintenance, Refresh from Hubby. A failed attempt is tried
          again after its delay; a job whose instance stopped is taken over by another once it expires.
        </p>
      </div>
      <Table aria-label="Queues">
        <TableHeader>
          <TableRow>
            <TableHead>Queue</TableHead>
            <TableHead className="text-right">Queued</TableHead>
            <TableHead className="text-right">Active</TableHead>
            <TableHead className="text-right">Completed (24 h)</TableHead>
            <TableHead className="text-right">Failed</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {queues.map((queue) => (
            <TableRow key={queue.queue} data-testid={`queue-${queue.queue}`}>
              <TableCell>
                {queue.label} <span className="font-mono text-xs text-muted-foreground">{queue.queue}</span>
              </TableCell>
              <TableCell className="text-right">{queue.queued}</TableCell>
              <TableCell className="text-right">{queue.active}</TableCell>
              <TableCell className="text-right">{queue.completed}</TableCell>
              <TableCell className="text-right">{queue.failed}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <section className="flex flex-col gap-2" aria-labelledby="failed-heading">
        <h2 id="failed-heading" className="text-sm font-semibold">
          Failed jobs (kept a week)
        </h2>
        <JobTable jobs={failed} command="retry" empty="No failed jobs." label="Failed jobs" />
      </section>
      <section className="flex flex-col gap-2" aria-labelledby="open-heading">
        <h2 id="open-heading" className="text-sm font-semibold">
          Waiting and running
        </h2>
        <JobTable jobs={open} command="cancel" empty="Nothing waits or runs." label="Waiting and running jobs" />
      </section>
    </div>
  );
}
