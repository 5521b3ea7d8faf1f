/** A loading state: a bar in the place of what comes first, above a block in the place of the rest. */
function LoadingBlocks({ first, testId }: { first: string; testId?: string }) {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-3" data-testid={testId}>
      <span className="sr-only">Loading…</span>
      <div className={`${first} animate-pulse rounded bg-muted`} />
      <div className="h-40 w-full animate-pulse rounded bg-muted" />
    </div>
  );
}

/** The loading state of a console screen (each screen's loading.tsx sits below its role check, so a refusal is a real 403). */
export function PageSkeleton() {
  return <LoadingBlocks first="h-7 w-48" />;
}

/**
 * The loading state of a screen's content below its title: screens that send their title and description in the
 * first flush (docs/decisions/0070) stream the rest into this. Marked as a streamed widget's skeleton is, so that
 * whoever waits for a screen to have rendered (tests/e2e/support.ts, expectScreen) waits for it to go.
 */
export function ContentSkeleton() {
  return <LoadingBlocks first="h-9 w-full" testId="widget-skeleton" />;
}
