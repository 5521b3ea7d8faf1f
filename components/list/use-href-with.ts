"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { hrefWith } from "@/lib/href-with";

/** `hrefWith` for the current address: links that change a parameter of a list and keep the others. */
export function useHrefWith(): (changes: Record<string, string | null>) => string {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  return (changes) => hrefWith(pathname, searchParams.toString(), changes);
}
