import { DataTable, type Column } from "@/components/data-table";

export type FieldChangeRow = {
  id: string;
  traveler?: string;
  record: string;
  field: string;
  before: string | null;
  after: string | null;
};

const columns: Column<FieldChangeRow>[] = [
  { id: "traveler", header: "Traveler", className: "font-mono text-xs", cell: (row) => row.traveler },
  { id: "record", header: "Record", className: "font-mono text-xs", cell: (row) => row.record },
  { id: "field", header: "Field", className: "font-mono text-xs", cell: (row) => row.field },
  {
    id: "before",
    header: "Before",
    className: "font-mono text-xs text-muted-foreground",
    cell: (row) => row.before ?? "∅",
  },
  { id: "after", header: "After", className: "font-mono text-xs", cell: (row) => row.after ?? "∅" },
];

/** Field-by-field before/after, shared by the replay dry run and "Refresh from Hubby". */
export function FieldChanges({ rows }: { rows: FieldChangeRow[] }) {
  return (
    <DataTable
      columns={columns}
      rows={rows}
      hidden={rows.some((row) => row.traveler) ? [] : ["traveler"]}
      empty="No field changes."
    />
  );
}
