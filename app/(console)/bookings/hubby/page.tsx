import type { Metadata } from "next";
import Link from "next/link";
import { audit } from "@/lib/audit/audit";
import { requirePermission } from "@/lib/auth/staff";
import {
  HUBBY_PER_PAGE,
  hubbyBookingsQuerySchema,
  listHubbyBookings,
  type HubbyBookingRow,
} from "@/lib/bookings/at-hubby";
import { HubbyApiError, hubbyForPage } from "@/lib/hubby";
import { getRequestId } from "@/lib/request-id";
import { Badge } from "@/components/ui/badge";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { DataTable, type Column } from "@/components/data-table";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { ListHeader } from "@/components/list/list-header";
import { PageLink } from "@/components/pagination";
import { BookingsTabs } from "../bookings-tabs";

export const metadata: Metadata = { title: "Bookings at Hubby" };

const columns: Column<HubbyBookingRow>[] = [
  { id: "id", header: "Hubby booking", className: "font-mono text-xs", cell: (row) => row.id },
  { id: "reference", header: "Reference", className: "font-mono text-xs", cell: (row) => row.reference ?? "—" },
  {
    id: "travelers",
    header: "Travelers",
    className: "text-sm",
    cell: (row) =>
      row.travelers.length === 0
        ? "—"
        : row.travelers.map((traveler, index) => (
            <span key={traveler}>
              {index > 0 && ", "}
              <Link className="font-mono text-xs underline" href={`/travelers/${encodeURIComponent(traveler)}`}>
                {traveler}
              </Link>
            </span>
          )),
  },
  { id: "destinations", header: "Destinations", cell: (row) => row.destinations.join(", ") || "—" },
  { id: "departure", header: "Departure", className: "whitespace-nowrap text-sm", cell: (row) => row.departure ?? "—" },
  {
    id: "status",
    header: "Status at Hubby",
    cell: (row) => (row.status ? <Badge variant="info">{row.status}</Badge> : "—"),
  },
  {
    id: "created",
    header: "Created",
    className: "whitespace-nowrap text-sm",
    cell: (row) => row.createdAt?.replace("T", " ").slice(0, 16) ?? "—",
  },
  {
    id: "console",
    header: "In the console",
    className: "text-sm",
    cell: (row) =>
      row.intentId ? (
        <Link className="underline" href={`/bookings/${row.intentId}`}>
          Issued here
        </Link>
      ) : (
        <span className="text-muted-foreground">Not from the console</span>
      ),
  },
];

export default async function HubbyBookingsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("bookings.view");
  const { values: query, ignored } = parseSearchParams(hubbyBookingsQuerySchema, await searchParams);
  let listing: Awaited<ReturnType<typeof listHubbyBookings>> | null = null;
  let problem: string | null = null;
  try {
    listing = await listHubbyBookings(await hubbyForPage(staff), query);
  } catch (error) {
    if (!(error instanceof HubbyApiError)) throw error;
    problem = error.message;
  }
  if (listing) {
    // The list names travelers (external_user_id): a read of their data, audited per page shown.
    await audit({
      actor: staff,
      action: "bookings.hubby_list",
      targetType: "hubby_bookings",
      targetId: `page ${query.page}`,
      result: "ok",
      details: { page: query.page, perPage: query.perPage, rows: listing.rows.length },
      requestId: await getRequestId(),
    });
  }
  const href = (page: number, perPage = query.perPage) => `/bookings/hubby?page=${page}&perPage=${perPage}`;

  return (
    <div className="flex flex-col gap-4">
      <ListHeader title="Bookings">
        Every booking Hubby holds for you, as <span className="font-mono">GET /api/bookings</span> lists it, including
        bookings your own systems made. The status is Hubby&apos;s; a booking issued from the console links to its
        record here.
      </ListHeader>
      <BookingsTabs current="hubby" />
      <IgnoredParamsNotice names={ignored} />

      {problem && (
        <p
          role="alert"
          className="rounded-md bg-amber-100 p-3 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
        >
          Hubby could not list its bookings: {problem}{" "}
          <Link className="underline" href={href(query.page)}>
            Try again
          </Link>
          .
        </p>
      )}

      {listing && (
        <>
          {listing.unreadable > 0 && (
            <p className="text-sm text-amber-700 dark:text-amber-300">
              {listing.unreadable} booking(s) on this page could not be read (no id): they are not shown.
            </p>
          )}
          <DataTable
            label="Bookings at Hubby"
            columns={columns}
            rows={listing.rows}
            testIdPrefix="hubby-booking-"
            empty={query.page === 1 ? "Hubby holds no bookings for you yet." : "No bookings on this page."}
          />
          <nav
            aria-label="Pagination"
            className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted-foreground"
          >
            <span>
              Page {query.page}
              {listing.totalPages !== null ? ` of ${listing.totalPages}` : ""}
              {listing.total !== null ? ` · ${listing.total} bookings` : ""}
            </span>
            <span className="flex items-center gap-2">
              <span>Per page:</span>
              {HUBBY_PER_PAGE.map((size) =>
                size === query.perPage ? (
                  <span key={size} className="font-semibold text-foreground">
                    {size}
                  </span>
                ) : (
                  <Link key={size} className="underline" href={href(1, size)}>
                    {size}
                  </Link>
                ),
              )}
              <PageLink href={query.page > 1 ? href(query.page - 1) : null} label="Previous" />
              <PageLink href={listing.hasNext ? href(query.page + 1) : null} label="Next" />
            </span>
          </nav>
        </>
      )}
    </div>
  );
}
