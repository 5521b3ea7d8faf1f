import { Download } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { formatNumber } from "@/lib/format";

/** A list's CSV download of what its filter matches, or why not: one export holds at most `max` rows. */
export function ExportLink({ href, total, max, what }: { href: string; total: number; max: number; what: string }) {
  if (total > max) {
    return (
      <span className="text-xs text-muted-foreground">
        Export holds at most {formatNumber(max)} {what}: narrow the filter.
      </span>
    );
  }
  return (
    <a className={buttonVariants({ variant: "outline", size: "sm" })} href={href} download>
      <Download className="h-4 w-4" aria-hidden />
      Export CSV
    </a>
  );
}
