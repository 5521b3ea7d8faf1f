"use client";
import { useEffect, useRef, useState } from "react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import type { PaletteJump, PaletteLink } from "./command-palette-commands";

// cmdk and the dialog primitives load on the first use (or when Ctrl/⌘ goes down), not with every page.
const loadDialogs = () => import("./command-palette-dialogs");
const CommandPaletteDialogs = dynamic(loadDialogs, { ssr: false });

/** Whether a key press belongs to a field the user is typing in (then shortcuts stay out of the way). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The page's own search field: a list's filter bar search (name "q"), else its first search form's first field. */
function pageSearchField(): HTMLInputElement | null {
  return (
    document.querySelector<HTMLInputElement>('main form[role="search"] input[name="q"]') ??
    document.querySelector<HTMLInputElement>('main input[name="q"]') ??
    document.querySelector<HTMLInputElement>('main form[role="search"] input:not([type="hidden"])')
  );
}

/**
 * Ctrl/⌘K anywhere in the console: ids (travelers by any id prefix, bookings, campaigns, webhook events) from
 * GET /api/search, and the screens and actions the role may use. Also "/" to focus the page's search, "g" + a letter
 * to jump to a screen, and "?" for the list of shortcuts.
 */
export function CommandPalette({
  screens,
  actions,
  jumps,
}: {
  screens: PaletteLink[];
  actions: PaletteLink[];
  jumps: PaletteJump[];
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [help, setHelp] = useState(false);
  /** Whether the dialogs were ever asked for: they stay mounted from then on, so closing animates as before. */
  const [used, setUsed] = useState(false);
  const pendingG = useRef<number | null>(null);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // Ctrl or ⌘ going down is the likely start of Ctrl/⌘K: fetch the dialogs' chunk while the K follows.
      if (event.key === "Control" || event.key === "Meta") void loadDialogs();
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey) && !event.altKey) {
        event.preventDefault();
        setUsed(true);
        setOpen((value) => !value);
        return;
      }
      if (event.metaKey || event.ctrlKey || event.altKey || typingIn(event.target)) return;
      if (document.querySelector('[role="dialog"]')) return;
      if (pendingG.current !== null) {
        window.clearTimeout(pendingG.current);
        pendingG.current = null;
        const jump = jumps.find((candidate) => candidate.keys === `g ${event.key.toLowerCase()}`);
        if (jump) {
          event.preventDefault();
          router.push(jump.href);
        }
        return;
      }
      if (event.key === "g") {
        pendingG.current = window.setTimeout(() => (pendingG.current = null), 1500);
      } else if (event.key === "/") {
        const field = pageSearchField();
        if (field) {
          event.preventDefault();
          field.focus();
          field.select();
        }
      } else if (event.key === "?") {
        event.preventDefault();
        setUsed(true);
        setHelp(true);
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [jumps, router]);

  return (
    <>
      <button
        type="button"
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
        onPointerEnter={() => void loadDialogs()}
        onFocus={() => void loadDialogs()}
        className="flex items-center gap-2 rounded-md border border-border px-2 py-1 text-xs text-muted-foreground hover:bg-muted"
      >
        Jump to…
        <kbd className="rounded border border-border px-1">Ctrl K</kbd>
      </button>
      {used && (
        <CommandPaletteDialogs
          open={open}
          onOpenChange={setOpen}
          help={help}
          onHelpChange={setHelp}
          screens={screens}
          actions={actions}
          jumps={jumps}
        />
      )}
    </>
  );
}
