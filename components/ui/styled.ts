import * as React from "react";
import { cn } from "@/lib/utils";

/**
 * A primitive that is one HTML element with the console's classes: the caller's className is merged after them
 * (tailwind-merge), every other prop passes through. Keeps card.tsx and table.tsx to their class lists.
 */
export function styled<Tag extends keyof React.JSX.IntrinsicElements>(tag: Tag, classes: string, displayName: string) {
  function Styled({ className, ...props }: React.ComponentProps<Tag> & { className?: string }) {
    return React.createElement(tag, { ...props, className: cn(classes, className) });
  }
  Styled.displayName = displayName;
  return Styled;
}
