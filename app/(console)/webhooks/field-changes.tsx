import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type FieldChangeRow = {
  id: string;
  traveler?: string;
  record: string;
  field: string;
  before: string | null;
  after: string | null;
};

/** Field-by-field before/after, shared by the replay dry run and "Refresh from Hubby". */
export function FieldChanges({ rows }: { rows: FieldChangeRow[] }) {
  const withTraveler = rows.some((row) => row.traveler);
  return (
    <Table>
      <TableHeader>
        <TableRow>
          {withTraveler && <TableHead>Traveler</TableHead>}
          <TableHead>Record</TableHead>
          <TableHead>Field</TableHead>
          <TableHead>Before</TableHead>
          <TableHead>After</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id}>
            {withTraveler && <TableCell className="font-mono text-xs">{row.traveler}</TableCell>}
            <TableCell className="font-mono text-xs">{row.record}</TableCell>
            <TableCell className="font-mono text-xs">{row.field}</TableCell>
            <TableCell className="font-mono text-xs text-muted-foreground">{row.before ?? "∅"}</TableCell>
            <TableCell className="font-mono text-xs">{row.after ?? "∅"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
