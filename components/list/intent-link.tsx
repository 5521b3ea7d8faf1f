"use client";
import Link from "next/link";
import { useState, type ComponentProps } from "react";

/**
 * A Link that prefetches when someone shows intent (pointer over it, focus, touch) rather than when it scrolls into
 * view: for dense links (a list's rows, sort headers, pages), where prefetching every link in view fired dozens of
 * requests per list (decision 0055). Next.js's own pattern: `prefetch={false}` until intent, then the default.
 */
export function IntentLink({
  onMouseEnter,
  onFocus,
  onTouchStart,
  ...props
}: Omit<ComponentProps<typeof Link>, "prefetch">) {
  const [intent, setIntent] = useState(false);
  return (
    <Link
      {...props}
      prefetch={intent ? null : false}
      onMouseEnter={(event) => {
        setIntent(true);
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        setIntent(true);
        onFocus?.(event);
      }}
      onTouchStart={(event) => {
        setIntent(true);
        onTouchStart?.(event);
      }}
    />
  );
}
