import * as React from "react";
import { cn } from "@/lib/utils";
import { styled } from "./styled";

/** The table in a bordered box that scrolls sideways on narrow screens. */
export function Table({ className, ...props }: React.TableHTMLAttributes<HTMLTableElement>) {
  return (
    <div className="w-full overflow-x-auto rounded-lg border border-border">
      <table className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </div>
  );
}
export const TableHeader = styled("thead", "bg-muted/60 text-left", "TableHeader");
export const TableBody = styled("tbody", "divide-y divide-border", "TableBody");
export const TableRow = styled("tr", "align-middle", "TableRow");
export const TableHead = styled("th", "h-10 px-3 font-medium text-muted-foreground whitespace-nowrap", "TableHead");
export const TableCell = styled("td", "px-3 py-2", "TableCell");
