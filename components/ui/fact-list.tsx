import * as React from "react";

/** Labelled facts of one record (a detail page): a two-column definition list that wraps long values. */
export function FactList({ children }: { children: React.ReactNode }) {
  return <dl className="grid grid-cols-[minmax(7rem,11rem)_1fr] gap-x-3 gap-y-1 text-sm">{children}</dl>;
}

export function Fact({ label, children }: { label: React.ReactNode; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}
