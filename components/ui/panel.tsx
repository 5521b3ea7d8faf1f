import * as React from "react";
import { cn } from "@/lib/utils";

/** A bordered section of a screen named by its heading (a landmark screen readers and tests can find by name). */
export function Panel({
  headingId,
  title,
  className,
  children,
  ...props
}: Omit<React.HTMLAttributes<HTMLElement>, "title"> & { headingId: string; title: React.ReactNode }) {
  return (
    <section
      className={cn("flex flex-col gap-3 rounded-lg border p-4", className)}
      aria-labelledby={headingId}
      {...props}
    >
      <h2 id={headingId} className="text-sm font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
