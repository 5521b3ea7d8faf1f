import * as React from "react";
import { cn } from "@/lib/utils";

// Inputs and selects line up in forms and filter bars: one height, border, focus ring and invalid state.
const control =
  "flex h-9 w-full rounded-md border border-border bg-background py-1 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50 aria-[invalid=true]:border-destructive";

export function Input({ className, ...props }: React.InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(control, "px-3 placeholder:text-muted-foreground", className)} {...props} />;
}

export type SelectOption = string | { value: string | number; label: string };

/** A select; `options` lists its choices (a string is its own label), after any `children` (a "none" choice). */
export function Select({
  className,
  options = [],
  children,
  ...props
}: React.SelectHTMLAttributes<HTMLSelectElement> & { options?: readonly SelectOption[] }) {
  return (
    <select className={cn(control, "px-2", className)} {...props}>
      {children}
      {options.map((option) => {
        const { value, label } = typeof option === "string" ? { value: option, label: option } : option;
        return (
          <option key={value} value={value}>
            {label}
          </option>
        );
      })}
    </select>
  );
}
