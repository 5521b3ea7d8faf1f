import { Suspense, type ReactNode } from "react";
import { ListHeader } from "@/components/list/list-header";
import { ContentSkeleton } from "@/components/page-skeleton";

/**
 * A list screen whose title and description go out in the document's shell, with everything that waits on data
 * streamed in below them (docs/decisions/0070): on a phone the description is the largest text, painted at once.
 */
export function StreamedScreen({
  title,
  description,
  children,
}: {
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-4">
      <ListHeader title={title}>{description}</ListHeader>
      <Suspense fallback={<ContentSkeleton />}>{children}</Suspense>
    </div>
  );
}
