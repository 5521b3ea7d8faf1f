import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/staff";

import { staffListQuerySchema } from "@/lib/staff/schemas";
import { listStaff } from "@/lib/staff/staff";
import { staffWithTwoFactor } from "@/lib/auth/two-factor";
import { FilterBar, SearchFilter, SelectFilter } from "@/components/list/filter-bar";
import { ListHeader } from "@/components/list/list-header";
import { Pagination } from "@/components/pagination";
import { InviteStaffDialog } from "./invite-staff-dialog";
import { PendingInvites } from "./pending-invites";
import { INVITE_TTL_HOURS, listPendingInvites } from "@/lib/staff/invites";
import { mailConfigured } from "@/lib/mail";
import { StaffTable } from "./staff-table";
import { isFiltered, parseSearchParams, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";

export const metadata: Metadata = { title: "Staff" };

const statusOptions = { all: "All", active: "Active", disabled: "Disabled" };

export default async function StaffPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const me = await requirePermission("staff.manage");
  const { values: query, ignored } = parseSearchParams(staffListQuerySchema, await searchParams);
  const { rows, total, pageSize } = await listStaff(query);
  const [withTwoFactor, invites] = await Promise.all([
    staffWithTwoFactor(rows.map((row) => row.id)),
    listPendingInvites(),
  ]);
  return (
    <div className="flex flex-col gap-4">
      <ListHeader
        title="Staff"
        actions={<InviteStaffDialog emailConfigured={mailConfigured()} ttlHours={INVITE_TTL_HOURS} />}
      >
        Who can use this console, and with which role.
      </ListHeader>
      <IgnoredParamsNotice names={ignored} />
      <FilterBar action="/staff" state={query} filtered={isFiltered(staffListQuerySchema, query)}>
        <SearchFilter label="Search staff" value={query.q} hint="Name or email" />
        <SelectFilter name="status" label="Status" value={query.status} options={statusOptions} />
        <input type="hidden" name="sort" value={query.sort} />
      </FilterBar>
      <StaffTable
        rows={rows.map((row) => ({
          ...row,
          twoFactor: withTwoFactor.has(row.id),
          lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
          createdAt: row.createdAt.toISOString(),
        }))}
        currentUserId={me.id}
        sort={query.sort}
      />
      <Pagination page={query.page} pageSize={pageSize} total={total} />
      <PendingInvites rows={invites.map((invite) => ({ ...invite, expiresAt: invite.expiresAt.toISOString() }))} />
    </div>
  );
}
