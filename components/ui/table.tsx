import * as React from "react";
import { cn } from "@/lib/utils";
import { styled } from "./styled";

/**
 * The table in a bordered box that scrolls sideways on narrow screens. The box is a named, focusable region so that
 * keyboard users can scroll it too (axe: scrollable-region-focusable); its name is the table's, when it has one.
 */
export function Table({ className, ...props }: React.TableHTMLAttributes<HTMLTableElement>) {
  return (
    <div
      className="w-full overflow-x-auto rounded-lg border border-border focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      role="region"
      aria-label={props["aria-label"] ? `${props["aria-label"]} (scrollable)` : "Scrollable table"}
      tabIndex={0}
    >
      <table className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </div>
  );
}
export const TableHeader = styled("thead", "bg-muted/60 text-left", "TableHeader");
export const TableBody = styled("tbody", "divide-y divide-border", "TableBody");
export const TableRow = styled("tr", "align-middle", "TableRow");
export const TableHead = styled("th", "h-10 px-3 font-medium text-muted-foreground whitespace-nowrap", "TableHead");
export const TableCell = styled("td", "px-3 py-2", "TableCell");
