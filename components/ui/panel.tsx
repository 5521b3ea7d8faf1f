import * as React from "react";
import { cn } from "@/lib/utils";
import { cardSurface } from "./card";

/** A bordered section of a screen named by its heading (a landmark screen readers and tests can find by name). */
export function Panel({
  headingId,
  title,
  className,
  children,
  ...props
}: Omit<React.HTMLAttributes<HTMLElement>, "title"> & { headingId: string; title: React.ReactNode }) {
  return (
    <section className={cn(cardSurface, "flex flex-col gap-3 p-4", className)} aria-labelledby={headingId} {...props}>
      <h2 id={headingId} className="text-sm font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
