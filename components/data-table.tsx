"use client";
import type { ReactTable, Row, Row_ColumnVisibility, RowData, TableFeatures, TableState } from "@tanstack/react-table";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** A row's cells without hidden columns (tables that register columnVisibilityFeature), else all of them. */
function visibleCells<TFeatures extends TableFeatures, TData extends RowData>(row: Row<TFeatures, TData>) {
  return (row as Partial<Row_ColumnVisibility<TFeatures, TData>>).getVisibleCells?.() ?? row.getAllCells();
}

/** The markup every TanStack table in the console shares: header groups, rows, and an empty state. */
export function DataTable<TFeatures extends TableFeatures, TData extends RowData>({
  table,
  empty,
  rowTestId,
}: {
  table: ReactTable<TFeatures, TData, TableState<TFeatures>>;
  empty: string;
  rowTestId?: (row: TData) => string;
}) {
  const rows = table.getRowModel().rows;
  return (
    <Table>
      <TableHeader>
        {table.getHeaderGroups().map((group) => (
          <TableRow key={group.id}>
            {group.headers.map((header) => (
              <TableHead key={header.id}>
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </TableHead>
            ))}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {rows.length === 0 ? (
          <TableRow>
            <TableCell
              colSpan={table.getHeaderGroups().at(-1)?.headers.length ?? 1}
              className="py-8 text-center text-muted-foreground"
            >
              {empty}
            </TableCell>
          </TableRow>
        ) : (
          rows.map((row) => (
            <TableRow key={row.id} data-testid={rowTestId?.(row.original)}>
              {visibleCells(row).map((cell) => (
                <TableCell key={cell.id}>
                  <table.FlexRender cell={cell} />
                </TableCell>
              ))}
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}
