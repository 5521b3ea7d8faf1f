"use client";
import { IntentLink } from "./intent-link";
import { useHrefWith } from "./use-href-with";

/** A value in a list that narrows the list to itself when clicked (sets `param`, keeps the other filters). */
export function ParamLink({ param, value }: { param: string; value: string | null }) {
  const href = useHrefWith();
  if (!value) return <span className="text-muted-foreground">—</span>;
  return (
    <IntentLink
      href={href({ [param]: value, page: null })}
      className="font-mono text-xs hover:underline"
      title={`Only ${value}`}
    >
      {value}
    </IntentLink>
  );
}
