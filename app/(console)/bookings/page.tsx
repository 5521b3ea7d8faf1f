import type { Metadata } from "next";
import Link from "next/link";
import { may } from "@/lib/auth/roles";
import { requirePermission } from "@/lib/auth/staff";
import { bookingQuerySchema, intentStatuses, listBookingIntents } from "@/lib/bookings/queries";
import { formatMoney } from "@/lib/bookings/quote";
import { PACKAGE_SIZES } from "@/lib/bookings/request";
import { describeWindow, SUPPORT_TOP_UP_WINDOWS, supportTopUpLimit } from "@/lib/bookings/settings";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { Pagination } from "@/components/pagination";
import { Button, buttonVariants } from "@/components/ui/button";
import { FilterField } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { BookingTable } from "./booking-table";
import { BookingsTabs } from "./bookings-tabs";
import { LimitControl } from "./limit-control";

export const metadata: Metadata = { title: "Bookings" };

export default async function BookingsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("bookings.view");
  const { values: query, ignored } = parseSearchParams(bookingQuerySchema, await searchParams);
  const [{ rows, total, pageSize, sentCostCents }, limit] = await Promise.all([
    listBookingIntents(query),
    supportTopUpLimit(),
  ]);
  const filtered = Boolean(
    query.status !== "all" ||
    query.kind !== "all" ||
    query.user ||
    query.destination ||
    query.actor ||
    query.from ||
    query.to,
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Bookings</h1>
          <p className="text-sm text-muted-foreground">
            Every booking and top-up issued from the console, written before it was sent to Hubby. UNKNOWN means the
            reply was lost: open it to reconcile. Support tops up at most {limit.size} per traveler in any{" "}
            {describeWindow(limit.windowHours)}.
          </p>
        </div>
        <div className="flex gap-2">
          <Link href="/bookings/new?topUp=1" className={buttonVariants({ size: "sm", variant: "outline" })}>
            Top up a traveler
          </Link>
          {may(staff, "bookings.issue") && (
            <Link href="/bookings/new" className={buttonVariants({ size: "sm" })}>
              New booking
            </Link>
          )}
        </div>
      </div>

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

      <form key={JSON.stringify(query)} className="flex flex-wrap items-end gap-2" role="search" action="/bookings">
        <FilterField id="bk-status" label="Status">
          <Select id="bk-status" name="status" defaultValue={query.status} className="w-32">
            <option value="all">All</option>
            {intentStatuses.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </Select>
        </FilterField>
        <FilterField id="bk-kind" label="Kind">
          <Select id="bk-kind" name="kind" defaultValue={query.kind} className="w-32">
            <option value="all">All</option>
            <option value="issue">Bookings</option>
            <option value="top_up">Top-ups</option>
            <option value="promo_codes">Promo codes</option>
          </Select>
        </FilterField>
        <FilterField id="bk-user" label="external_user_id">
          <Input id="bk-user" name="user" defaultValue={query.user} className="w-44" />
        </FilterField>
        <FilterField id="bk-destination" label="Destination">
          <Input id="bk-destination" name="destination" defaultValue={query.destination} className="w-24" />
        </FilterField>
        <FilterField id="bk-actor" label="Issued by">
          <Input id="bk-actor" name="actor" defaultValue={query.actor} className="w-44" />
        </FilterField>
        <FilterField id="bk-from" label="From">
          <Input id="bk-from" name="from" type="date" defaultValue={query.from} />
        </FilterField>
        <FilterField id="bk-to" label="To">
          <Input id="bk-to" name="to" type="date" defaultValue={query.to} />
        </FilterField>
        <Button type="submit" size="sm">
          Filter
        </Button>
        {filtered && (
          <Link href="/bookings" className={buttonVariants({ variant: "ghost", size: "sm" })}>
            Clear
          </Link>
        )}
      </form>

      <p className="text-sm text-muted-foreground">
        B2B cost of the SENT bookings matching: <strong>{formatMoney(sentCostCents, "EUR")}</strong>
      </p>
      <BookingTable rows={rows} />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
