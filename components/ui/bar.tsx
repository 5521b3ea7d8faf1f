import { cn } from "@/lib/utils";

/**
 * A horizontal bar filled to `percent` (clamped to 0–100): a `meter` for a level (data left), a `progressbar` for
 * work under way. The label names it for screen readers; the figures it stands for are written next to it.
 */
export function Bar({
  role,
  label,
  percent,
  className,
  fillClassName,
}: {
  role: "meter" | "progressbar";
  label: string;
  percent: number;
  className?: string;
  fillClassName?: string;
}) {
  const shown = Math.min(100, Math.max(0, percent));
  return (
    <div
      role={role}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={shown}
      className={cn("h-2 w-full overflow-hidden rounded bg-muted", className)}
    >
      <div className={cn("h-full bg-primary", fillClassName)} style={{ width: `${shown}%` }} />
    </div>
  );
}
