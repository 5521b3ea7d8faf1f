import type { ReactNode } from "react";

/** A screen's title, what it lists, and its actions (right-aligned). */
export function ListHeader({
  title,
  children,
  actions,
}: {
  title: string;
  /** What the screen shows, in a sentence or two. */
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-2">
      <div>
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="text-sm text-muted-foreground">{children}</p>
      </div>
      {actions && <div className="flex gap-2">{actions}</div>}
    </div>
  );
}
