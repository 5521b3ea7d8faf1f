"use client";
import { IntentLink } from "./intent-link";
import { ArrowDown, ArrowUp } from "lucide-react";
import { useHrefWith } from "./use-href-with";

/**
 * A column header that sorts the list by `field` (URL parameter `sort`: `field` ascending, `-field` descending):
 * first in `firstDirection`, then the other way; back on page 1.
 */
export function SortHeader({
  field,
  label,
  sort,
  firstDirection,
}: {
  field: string;
  label: string;
  sort: string;
  firstDirection: "asc" | "desc";
}) {
  const href = useHrefWith();
  const active = sort.replace(/^-/, "") === field;
  const descending = sort.startsWith("-");
  const next = active ? (descending ? field : `-${field}`) : firstDirection === "desc" ? `-${field}` : field;
  return (
    <IntentLink
      href={href({ sort: next, page: null })}
      className="inline-flex items-center gap-1 hover:underline"
      aria-label={`Sort by ${label}${active ? (descending ? ", sorted descending" : ", sorted ascending") : ""}`}
    >
      {label}
      {active &&
        (descending ? <ArrowDown className="h-3 w-3" aria-hidden /> : <ArrowUp className="h-3 w-3" aria-hidden />)}
    </IntentLink>
  );
}
