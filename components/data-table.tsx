import type { ReactNode } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** One column of a DataTable: its header, how a row fills its cell, and the classes of that cell. */
export type Column<Row> = {
  /** Names the column for `hidden` (and React's keys). */
  id: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  className?: string;
  headClassName?: string;
};

/**
 * Every table of the console: a header row, one row per item, or the empty state. A plain component (no hooks, no
 * "use client"), so server pages declare columns with render functions and client tables use it alike; sorting and
 * paging are the server's (URL state), hidden columns come from the URL too.
 */
/** Rows with a string `id` are keyed by it; others name their key. */
type RowKey<Row> = Row extends { id: string } ? { rowKey?: (row: Row) => string } : { rowKey: (row: Row) => string };

export function DataTable<Row>({
  columns,
  rows,
  rowKey = (row) => (row as { id: string }).id,
  empty,
  testIdPrefix,
  hidden = [],
  label,
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  empty: ReactNode;
  /** Each row's data-testid: this prefix and the row's key. */
  testIdPrefix?: string;
  /** Ids of columns not to show. */
  hidden?: readonly string[];
  /** The table's accessible name, when a screen shows more than one. */
  label?: string;
} & RowKey<Row>) {
  const shown = columns.filter((column) => !hidden.includes(column.id));
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          {shown.map((column) => (
            <TableHead key={column.id} className={column.headClassName}>
              {column.header}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.length === 0 ? (
          <TableRow>
            <TableCell colSpan={shown.length} className="py-8 text-center text-muted-foreground">
              {empty}
            </TableCell>
          </TableRow>
        ) : (
          rows.map((row) => (
            <TableRow key={rowKey(row)} data-testid={testIdPrefix && `${testIdPrefix}${rowKey(row)}`}>
              {shown.map((column) => (
                <TableCell key={column.id} className={column.className}>
                  {column.cell(row)}
                </TableCell>
              ))}
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}
