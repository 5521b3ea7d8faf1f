"use client";
import { Check, Columns3 } from "lucide-react";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Button } from "@/components/ui/button";
import { columnLabels, hideableColumns, type HideableColumn } from "@/lib/travelers/columns";

/**
 * The travelers list's "Columns" menu. Its menu primitives (positioning, focus, dismissal: about 20 kB gzip) load on
 * the first click of the button (./columns-control.tsx), so it opens at once when it mounts.
 */
export default function ColumnsMenu({
  hidden,
  setVisible,
}: {
  hidden: HideableColumn[];
  setVisible: (column: HideableColumn, visible: boolean) => void;
}) {
  return (
    <DropdownMenu.Root defaultOpen>
      <DropdownMenu.Trigger asChild>
        <Button type="button" variant="outline" size="sm">
          <Columns3 className="h-4 w-4" aria-hidden />
          Columns
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-48 rounded-md border border-border bg-card p-1 text-sm shadow-md"
        >
          <DropdownMenu.Label className="px-2 py-1 text-xs text-muted-foreground">Shown columns</DropdownMenu.Label>
          {hideableColumns.map((column) => (
            <DropdownMenu.CheckboxItem
              key={column}
              checked={!hidden.includes(column)}
              onCheckedChange={(checked) => setVisible(column, checked)}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-muted"
            >
              <span className="flex h-4 w-4 items-center justify-center">
                <DropdownMenu.ItemIndicator>
                  <Check className="h-4 w-4" aria-hidden />
                </DropdownMenu.ItemIndicator>
              </span>
              {columnLabels[column]}
            </DropdownMenu.CheckboxItem>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
