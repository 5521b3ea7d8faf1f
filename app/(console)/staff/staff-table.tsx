import { roleLabels, type StaffRole } from "@/lib/auth/roles";
import { utcStamp } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/data-table";
import { SortHeader } from "@/components/list/sort-header";
import { StaffRowActions } from "./staff-row-actions";

export type StaffRow = {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  disabled: boolean;
  /** False for accounts single sign-on created: no password to reset. */
  hasPassword: boolean;
  twoFactor: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};

const sortHeader = (field: "name" | "email" | "role" | "lastLoginAt", label: string, sort: string) => (
  <SortHeader field={field} label={label} sort={sort} firstDirection="asc" />
);

export function StaffTable({ rows, currentUserId, sort }: { rows: StaffRow[]; currentUserId: string; sort: string }) {
  const columns: Column<StaffRow>[] = [
    { id: "name", header: sortHeader("name", "Name", sort), cell: (row) => row.name },
    { id: "email", header: sortHeader("email", "Email", sort), cell: (row) => row.email },
    { id: "role", header: sortHeader("role", "Role", sort), cell: (row) => roleLabels[row.role] },
    {
      id: "status",
      header: "Status",
      cell: (row) =>
        row.disabled ? <Badge variant="danger">Disabled</Badge> : <Badge variant="success">Active</Badge>,
    },
    {
      id: "twoFactor",
      header: "Two-factor",
      cell: (row) => (row.twoFactor ? "On" : <span className="text-muted-foreground">Off</span>),
    },
    {
      id: "lastLoginAt",
      header: sortHeader("lastLoginAt", "Last sign-in", sort),
      cell: (row) =>
        row.lastLoginAt ? utcStamp(row.lastLoginAt) : <span className="text-muted-foreground">Never</span>,
    },
    {
      id: "actions",
      header: <span className="sr-only">Actions</span>,
      cell: (row) => <StaffRowActions staff={row} isSelf={row.id === currentUserId} />,
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows}
      empty="No staff match this search."
      rowKey={(row) => row.email}
      testIdPrefix="staff-row-"
    />
  );
}
