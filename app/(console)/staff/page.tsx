import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";

import { staffListQuerySchema } from "@/lib/staff/schemas";
import { listStaff } from "@/lib/staff/staff";
import { Pagination } from "@/components/pagination";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { AddStaffDialog } from "./add-staff-dialog";
import { StaffTable } from "./staff-table";
import { parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";

export const metadata: Metadata = { title: "Staff" };

export default async function StaffPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const me = await requirePermission("staff.manage");
  const { values: query, ignored } = parseSearchParams(staffListQuerySchema, await searchParams);
  const { rows, total, pageSize } = await listStaff(query);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Staff</h1>
          <p className="text-sm text-muted-foreground">Who can use this console, and with which role.</p>
        </div>
        <AddStaffDialog />
      </div>
      <IgnoredParamsNotice names={ignored} />
      <form className="flex flex-wrap items-end gap-2" role="search" action="/staff">
        <div className="flex flex-col gap-1">
          <label htmlFor="staff-q" className="text-xs text-muted-foreground">
            Search staff
          </label>
          <Input id="staff-q" name="q" defaultValue={query.q} placeholder="Name or email" className="w-64" />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="staff-status" className="text-xs text-muted-foreground">
            Status
          </label>
          <Select id="staff-status" name="status" defaultValue={query.status} className="w-36">
            <option value="all">All</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </Select>
        </div>
        <input type="hidden" name="sort" value={query.sort} />
        <Button type="submit" variant="outline">
          Apply
        </Button>
      </form>
      <StaffTable
        rows={rows.map((row) => ({
          ...row,
          lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
          createdAt: row.createdAt.toISOString(),
        }))}
        currentUserId={me.id}
        sort={query.sort}
      />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
    </div>
  );
}
