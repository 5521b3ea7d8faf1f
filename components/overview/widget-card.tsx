import { Suspense, type ReactNode } from "react";

/** The placeholder a widget shows while its figures stream in. */
export function WidgetSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-3" data-testid="widget-skeleton">
      <span className="sr-only">Loading {label}…</span>
      <div className="h-8 w-40 animate-pulse rounded bg-muted" />
      <div className="h-40 w-full animate-pulse rounded bg-muted" />
    </div>
  );
}

/** One overview widget: a titled section with its own Suspense boundary, so each streams when its data is ready. */
export function WidgetCard({
  id,
  title,
  wide,
  children,
}: {
  id: string;
  title: string;
  wide?: boolean;
  children: ReactNode;
}) {
  const headingId = `widget-${id}`;
  return (
    <section
      aria-labelledby={headingId}
      data-testid={headingId}
      className={`flex min-w-0 flex-col gap-3 rounded-lg border border-border bg-card p-4 ${wide ? "lg:col-span-2" : ""}`}
    >
      <h2 id={headingId} className="text-sm font-semibold">
        {title}
      </h2>
      <Suspense fallback={<WidgetSkeleton label={title} />}>{children}</Suspense>
    </section>
  );
}
