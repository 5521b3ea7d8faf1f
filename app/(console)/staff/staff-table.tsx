"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { ArrowDown, ArrowUp } from "lucide-react";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { roleLabels, type StaffRole } from "@/lib/auth/roles";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/data-table";
import { StaffRowActions } from "./staff-row-actions";

export type StaffRow = {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, StaffRow>();
const sortable = { name: "Name", email: "Email", role: "Role", lastLoginAt: "Last sign-in" } as const;

function SortHeader({ field, sort }: { field: keyof typeof sortable; sort: string }) {
  const pathname = usePathname();
  const params = new URLSearchParams(useSearchParams().toString());
  const active = sort.replace(/^-/, "") === field;
  const descending = sort.startsWith("-");
  params.set("sort", active && !descending ? `-${field}` : field);
  params.delete("page");
  return (
    <Link
      href={`${pathname}?${params.toString()}`}
      className="inline-flex items-center gap-1 hover:underline"
      aria-sort={active ? (descending ? "descending" : "ascending") : undefined}
    >
      {sortable[field]}
      {active &&
        (descending ? <ArrowDown className="h-3 w-3" aria-hidden /> : <ArrowUp className="h-3 w-3" aria-hidden />)}
    </Link>
  );
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function StaffTable({ rows, currentUserId, sort }: { rows: StaffRow[]; currentUserId: string; sort: string }) {
  const columns = helper.columns([
    helper.accessor("name", { header: () => <SortHeader field="name" sort={sort} /> }),
    helper.accessor("email", { header: () => <SortHeader field="email" sort={sort} /> }),
    helper.accessor("role", {
      header: () => <SortHeader field="role" sort={sort} />,
      cell: (info) => roleLabels[info.getValue()],
    }),
    helper.accessor("disabled", {
      header: "Status",
      cell: (info) =>
        info.getValue() ? <Badge variant="danger">Disabled</Badge> : <Badge variant="success">Active</Badge>,
    }),
    helper.accessor("lastLoginAt", {
      header: () => <SortHeader field="lastLoginAt" sort={sort} />,
      cell: (info) => {
        const value = info.getValue();
        return value ? (
          `${dateFormat.format(new Date(value))} UTC`
        ) : (
          <span className="text-muted-foreground">Never</span>
        );
      },
    }),
    helper.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) => <StaffRowActions staff={row.original} isSelf={row.original.id === currentUserId} />,
    }),
  ]);
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });

  return <DataTable table={table} empty="No staff match this search." rowTestId={(row) => `staff-row-${row.email}`} />;
}
