"use client";
import { useEffect } from "react";
import { useRouter } from "next/navigation";

/** Shown while the background refresh reads Hubby's catalog: re-renders the page every 2 s until it is in. */
export function RefreshWhileReading() {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), 2_000);
    return () => clearInterval(timer);
  }, [router]);
  return null;
}
