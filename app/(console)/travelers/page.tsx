import { FilterField } from "@/components/ui/field";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireStaff } from "@/lib/auth/staff";
import { rolesFor } from "@/lib/auth/roles";
import { exactTravelerMatch, searchTravelers, travelerQuerySchema } from "@/lib/travelers/queries";
import { Pagination } from "@/components/pagination";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { TravelerTable } from "./traveler-table";

export const metadata: Metadata = { title: "Travelers" };

export default async function TravelersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  await requireStaff(...rolesFor("travelers.search"));
  const params = await searchParams;
  const query = travelerQuerySchema.parse(params);
  // Submitting the search (go=1) with an id that names exactly one traveler opens that traveler.
  if (query.q && params.go === "1") {
    const match = await exactTravelerMatch(query.q);
    if (match) redirect(`/travelers/${encodeURIComponent(match)}`);
  }
  const { rows, total, pageSize } = await searchTravelers(query);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">Travelers</h1>
        <p className="text-sm text-muted-foreground">
          Everyone the console has heard of from Hubby. Search by external_user_id, ICCID, booking id or package id; an
          exact id opens the traveler.
        </p>
      </div>
      <form key={query.q} className="flex items-end gap-2" role="search" action="/travelers">
        <FilterField id="traveler-q" label="Search travelers">
          <Input
            id="traveler-q"
            name="q"
            defaultValue={query.q}
            className="w-96"
            placeholder="cust_123456, 8931…, booking_…, pkg_…"
            autoFocus
          />
        </FilterField>
        <input type="hidden" name="go" value="1" />
        {query.sort !== "-lastSeenAt" && <input type="hidden" name="sort" value={query.sort} />}
        <Button type="submit">Search</Button>
      </form>
      {query.q && params.go === "1" && total === 0 && (
        <p className="text-sm text-muted-foreground">
          No traveler matches “{query.q}”. Open{" "}
          <a className="underline" href={`/travelers/${encodeURIComponent(query.q)}`}>
            {query.q}
          </a>{" "}
          to ask Hubby directly.
        </p>
      )}
      <TravelerTable rows={rows} sort={query.sort} />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
