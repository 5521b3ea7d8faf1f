import type { Metadata } from "next";
import Link from "next/link";
import { may } from "@/lib/auth/roles";
import { requirePermission } from "@/lib/auth/staff";
import { bookingQuerySchema, intentStatuses, listBookingIntents } from "@/lib/bookings/queries";
import { formatMoney } from "@/lib/bookings/quote";
import { PACKAGE_SIZES } from "@/lib/bookings/request";
import { describeWindow, SUPPORT_TOP_UP_WINDOWS, supportTopUpLimit } from "@/lib/bookings/settings";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { DateRangeFilter, FilterBar, SelectFilter, TextFilter } from "@/components/list/filter-bar";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { buttonVariants } from "@/components/ui/button";
import { BookingTable } from "./booking-table";
import { BookingsTabs } from "./bookings-tabs";
import { LimitControl } from "./limit-control";

export const metadata: Metadata = { title: "Bookings" };

const kindOptions = { all: "All", issue: "Bookings", top_up: "Top-ups", promo_codes: "Promo codes" };

export default async function BookingsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("bookings.view");
  const { values: query, ignored } = parseSearchParams(bookingQuerySchema, await searchParams);
  const [{ rows, total, pageSize, sentCostCents }, limit] = await Promise.all([
    listBookingIntents(query),
    supportTopUpLimit(),
  ]);

  return (
    <div className="flex flex-col gap-4">
      <ListHeader
        title="Bookings"
        actions={
          <>
            <Link href="/bookings/new?topUp=1" className={buttonVariants({ size: "sm", variant: "outline" })}>
              Top up a traveler
            </Link>
            {may(staff, "bookings.issue") && (
              <Link href="/bookings/new" className={buttonVariants({ size: "sm" })}>
                New booking
              </Link>
            )}
          </>
        }
      >
        Every booking and top-up issued from the console, written before it was sent to Hubby. UNKNOWN means the reply
        was lost: open it to reconcile. Support tops up at most {limit.size} per traveler in any{" "}
        {describeWindow(limit.windowHours)}.
      </ListHeader>

      <BookingsTabs current="console" />
      <IgnoredParamsNotice names={ignored} />

      {may(staff, "bookings.settings") && (
        <LimitControl
          size={limit.size}
          sizes={PACKAGE_SIZES}
          windowHours={limit.windowHours}
          windows={SUPPORT_TOP_UP_WINDOWS.map((hours) => ({ hours, label: describeWindow(hours) }))}
        />
      )}

      <FilterBar action="/bookings" state={query} filtered={isFiltered(bookingQuerySchema, query)}>
        <SelectFilter name="status" label="Status" value={query.status} all="All" options={intentStatuses} />
        <SelectFilter name="kind" label="Kind" value={query.kind} options={kindOptions} />
        <TextFilter name="user" label="external_user_id" value={query.user} />
        <TextFilter name="destination" label="Destination" value={query.destination} className="w-24" />
        <TextFilter name="actor" label="Issued by" value={query.actor} />
        <DateRangeFilter from={query.from} to={query.to} />
      </FilterBar>

      <p className="text-sm text-muted-foreground">
        B2B cost of the SENT bookings matching: <strong>{formatMoney(sentCostCents, "EUR")}</strong>
      </p>
      <BookingTable rows={rows} />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
