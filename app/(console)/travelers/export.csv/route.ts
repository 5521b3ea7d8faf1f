import { audit, recordTravelersRead } from "@/lib/audit/audit";

import { requirePermission } from "@/lib/auth/staff";
import { csvLine, csvStream } from "@/lib/csv";
import { getRequestId } from "@/lib/request-id";
import { unreadableParamsResponse } from "@/lib/url-params";
import { describeFilter, filterKey, readTravelerQuery } from "@/lib/travelers/filters";
import { countTravelers, exportTravelers, TRAVELER_EXPORT_MAX_ROWS, type TravelerRow } from "@/lib/travelers/queries";

const HEADER = [
  "external_user_id",
  "iccid",
  "esim_status",
  "esim_status_at",
  "active_packages",
  "usage_percent",
  "next_departure",
  "next_departure_date_only",
  "last_event_type",
  "last_event_at",
];

const line = (row: TravelerRow) =>
  csvLine([
    row.externalUserId,
    row.iccid,
    row.esimStatus,
    row.esimStateAt,
    row.activePackages,
    row.usagePercent,
    row.nextDepartureAt,
    row.nextDepartureDateOnly,
    row.lastEventType,
    row.lastEventAt,
  ]);

/** Each batch's travelers are listed under the export's audit entry before the batch is sent. */
async function* recordedBatches(batches: AsyncGenerator<TravelerRow[]>, entryId: bigint) {
  for await (const batch of batches) {
    await recordTravelersRead(
      entryId,
      batch.map((row) => row.externalUserId),
    );
    yield batch;
  }
}

/**
 * GET /travelers/export.csv?<the list's filter>: every matching traveler (not only the shown page), by
 * external_user_id, streamed in batches. Refused with a message above TRAVELER_EXPORT_MAX_ROWS. Audited.
 */
export async function GET(request: Request) {
  const staff = await requirePermission("travelers.search");
  const requestId = await getRequestId();
  const { values: filter, ignored } = readTravelerQuery(new URL(request.url).searchParams);
  // Leaving out a filter it cannot read would export more travelers than were asked for.
  if (ignored.length > 0) return unreadableParamsResponse(ignored);
  const now = new Date();
  const total = await countTravelers(filter, now);
  const details = { filter: filterKey(filter), description: describeFilter(filter) || "all travelers", rows: total };
  if (total > TRAVELER_EXPORT_MAX_ROWS) {
    await audit({
      actor: staff,
      action: "travelers.export",
      result: "refused",
      details: { ...details, reason: "too_many_rows" },
      requestId,
    });
    return new Response(
      `This filter matches ${total.toLocaleString("en-GB")} travelers; one export holds at most ` +
        `${TRAVELER_EXPORT_MAX_ROWS.toLocaleString("en-GB")}. Narrow the filter and export again.\n`,
      { status: 413, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  const entryId = await audit({ actor: staff, action: "travelers.export", result: "ok", details, requestId });
  // Personal data leaves only recorded: without the entry there is nothing to list the travelers under.
  if (entryId === null) {
    return new Response("The export could not be recorded in the audit log; try again.\n", {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }

  const body = csvStream(
    HEADER,
    recordedBatches(exportTravelers(filter, now), entryId),
    line,
    `travelers.export request ${requestId}`,
  );
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="travelers-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
}
