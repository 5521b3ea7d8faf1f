"use client";
import { IntentLink } from "@/components/list/intent-link";
import { buttonVariants } from "@/components/ui/button";
import { useHrefWith } from "@/components/list/use-href-with";
import { cn } from "@/lib/utils";

/** A Previous/Next button: a link, or shown disabled when there is no such page (`href` null). */
export function PageLink({ href, label }: { href: string | null; label: string }) {
  return href ? (
    <IntentLink className={buttonVariants({ variant: "outline", size: "sm" })} href={href}>
      {label}
    </IntentLink>
  ) : (
    <span className={cn(buttonVariants({ variant: "outline", size: "sm" }), "opacity-50")} aria-disabled>
      {label}
    </span>
  );
}

/** Page links that keep every other URL parameter (filters, sort). */
export function Pagination({ page, pageSize, total }: { page: number; pageSize: number; total: number }) {
  const href = useHrefWith();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between text-sm text-muted-foreground">
      <span>
        {first}–{last} of {total}
      </span>
      <span className="flex gap-2">
        <PageLink href={page > 1 ? href({ page: String(page - 1) }) : null} label="Previous" />
        <PageLink href={page < pages ? href({ page: String(page + 1) }) : null} label="Next" />
      </span>
    </nav>
  );
}
