import Link from "next/link";
import type { ReactNode } from "react";
import { Button, buttonVariants } from "@/components/ui/button";
import { FilterField } from "@/components/ui/field";
import { Input, Select, type SelectOption } from "@/components/ui/input";

/**
 * A list screen's filter form: a GET to the screen itself, so the filter lives in the URL (links, reloads and saved
 * views show the same list). `state` keys the form: links on a screen navigate client-side, and uncontrolled
 * fields would otherwise keep the values of the previous address.
 */
export function FilterBar({
  action,
  state,
  filtered,
  clearHref = action,
  submitLabel = "Apply",
  children,
}: {
  action: string;
  state: unknown;
  /** Whether anything is filtered: then a "Clear filters" link leads back to `clearHref`. */
  filtered: boolean;
  clearHref?: string;
  submitLabel?: string;
  children: ReactNode;
}) {
  return (
    <form key={JSON.stringify(state)} className="flex flex-wrap items-end gap-2" role="search" action={action}>
      {children}
      <Button type="submit" variant="outline" size="sm">
        {submitLabel}
      </Button>
      {filtered && (
        <Link href={clearHref} className={buttonVariants({ variant: "ghost", size: "sm" })}>
          Clear filters
        </Link>
      )}
    </form>
  );
}

/** A text (or number) filter named like its URL parameter; the id follows the name, one filter bar per screen. */
export function TextFilter({
  name,
  label,
  value,
  className = "w-44",
  ...input
}: {
  name: string;
  label: string;
  value: string | number | undefined;
  className?: string;
} & Pick<React.InputHTMLAttributes<HTMLInputElement>, "placeholder" | "type" | "min" | "autoFocus">) {
  const id = `filter-${name}`;
  return (
    <FilterField id={id} label={label}>
      <Input id={id} name={name} defaultValue={value ?? ""} className={className} {...input} />
    </FilterField>
  );
}

/** The free-text search of a list: URL parameter `q`. */
export function SearchFilter({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return <TextFilter name="q" label={label} value={value} placeholder={hint} className="w-72" />;
}

/** A whole-number filter (hours, days): at least 1. */
export function NumberFilter({
  name,
  label,
  value,
  className,
}: {
  name: string;
  label: string;
  value: number | undefined;
  className?: string;
}) {
  return <TextFilter name={name} label={label} value={value} type="number" min={1} className={className} />;
}

type OptionList = readonly (string | readonly [value: string, label: string])[];

/** A choice: `[value, label]` pairs, values that are their own label, or a record of labels by value. */
export type FilterOptions = OptionList | Record<string, string>;

function choicesOf(options: FilterOptions): SelectOption[] {
  const isList = (value: FilterOptions): value is OptionList => Array.isArray(value);
  const pairs = isList(options) ? options : Object.entries(options);
  return pairs.map((option) => (typeof option === "string" ? option : { value: option[0], label: option[1] }));
}

/**
 * A choice filter, as wide as its longest choice. `all` puts first the choice "all" (the unfiltered value of an enum
 * parameter) with this label, `any` the empty choice (no parameter) with this label.
 */
export function SelectFilter({
  name,
  label,
  value,
  options,
  all,
  any,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: FilterOptions;
  all?: string;
  any?: string;
}) {
  const id = `filter-${name}`;
  const choices: SelectOption[] = [
    ...(all === undefined ? [] : [{ value: "all", label: all }]),
    ...(any === undefined ? [] : [{ value: "", label: any }]),
    ...choicesOf(options),
  ];
  return (
    <FilterField id={id} label={label}>
      <Select id={id} name={name} defaultValue={value ?? ""} className="w-auto min-w-24" options={choices} />
    </FilterField>
  );
}

/** The From/To day filter of a list (URL parameters `from` and `to`, YYYY-MM-DD, read by `calendarDateParam`). */
export function DateRangeFilter({ from, to }: { from: string | undefined; to: string | undefined }) {
  return (
    <>
      <TextFilter name="from" label="From" type="date" value={from} className="w-40" />
      <TextFilter name="to" label="To" type="date" value={to} className="w-40" />
    </>
  );
}
