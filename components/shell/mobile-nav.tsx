"use client";
import { useId, useState } from "react";
import { usePathname } from "next/navigation";
import { Menu, X } from "lucide-react";
import type { Screen } from "@/lib/navigation";
import { Sidebar } from "./sidebar";

/**
 * The navigation below the md breakpoint: closed by default, so on a phone the screen's own content is what shows
 * first; a disclosure button (aria-expanded) opens it below the header. Choosing a screen or pressing Escape closes it.
 */
export function MobileNav({ screens }: { screens: Pick<Screen, "href" | "label" | "icon">[] }) {
  const pathname = usePathname();
  // Open for the path it was opened on: a link inside the menu changes the path, which closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = (value: boolean) => setOpenOn(value ? pathname : null);
  const navId = useId();

  return (
    <div
      className="border-b border-border md:hidden"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          setOpen(false);
          document.getElementById(`${navId}-toggle`)?.focus();
        }
      }}
    >
      <button
        type="button"
        id={`${navId}-toggle`}
        aria-expanded={open}
        aria-controls={navId}
        onClick={() => setOpen(!open)}
        className="flex w-full items-center gap-2 px-4 py-2 text-sm font-medium hover:bg-muted"
      >
        {open ? <X className="h-4 w-4" aria-hidden /> : <Menu className="h-4 w-4" aria-hidden />}
        Menu
      </button>
      <div id={navId} hidden={!open}>
        <Sidebar screens={screens} />
      </div>
    </div>
  );
}
