"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Command } from "cmdk";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import type { SearchResult } from "@/lib/search/search";
import type { PaletteJump, PaletteLink } from "./command-palette-commands";

const SEARCH_DELAY_MS = 120;
const kindHeadings: Record<SearchResult["kind"], string> = {
  traveler: "Travelers",
  booking: "Bookings",
  campaign: "Campaigns",
  webhook: "Webhook events",
};

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

const matches = (label: string, q: string) => label.toLowerCase().includes(q.trim().toLowerCase());

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
  const [query, setQuery] = useState("");
  /** The latest answer and the query it answers: results show only while they answer what is typed. */
  const [answer, setAnswer] = useState<{ q: string; results: SearchResult[]; failed: string | null } | null>(null);
  const pendingG = useRef<number | null>(null);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey) && !event.altKey) {
        event.preventDefault();
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
        setHelp(true);
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [jumps, router]);

  const q = query.trim();
  useEffect(() => {
    if (!open || q.length === 0) return;
    const controller = new AbortController();
    const timer = window.setTimeout(async () => {
      try {
        const response = await fetch(`/api/search?q=${encodeURIComponent(q)}`, { signal: controller.signal });
        if (!response.ok) throw new Error(response.status === 401 ? "Your session has ended." : "Search failed.");
        const body = (await response.json()) as { results: SearchResult[] };
        setAnswer({ q, results: body.results, failed: null });
      } catch (error) {
        if (controller.signal.aborted) return;
        setAnswer({ q, results: [], failed: error instanceof Error ? error.message : "Search failed." });
      }
    }, SEARCH_DELAY_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [open, q]);
  const current = q.length > 0 && answer?.q === q ? answer : null;
  const results = current?.results ?? [];
  const failed = current?.failed ?? null;
  const searching = open && q.length > 0 && !current;

  const go = useCallback(
    (href: string) => {
      setOpen(false);
      setQuery("");
      router.push(href);
    },
    [router],
  );

  const kinds = (Object.keys(kindHeadings) as SearchResult["kind"][]).filter((kind) =>
    results.some((result) => result.kind === kind),
  );
  const shownScreens = screens.filter((screen) => matches(screen.label, query));
  const shownActions = actions.filter((action) => matches(action.label, query));

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="flex items-center gap-2 rounded-md border border-border px-2 py-1 text-xs text-muted-foreground hover:bg-muted"
      >
        Jump to…
        <kbd className="rounded border border-border px-1">Ctrl K</kbd>
      </button>
      <Dialog
        open={open}
        onOpenChange={(value) => {
          setOpen(value);
          if (!value) setQuery("");
        }}
      >
        <DialogContent className="top-24 w-[min(36rem,calc(100vw-2rem))] translate-y-0 p-0">
          <DialogTitle className="sr-only">Command palette</DialogTitle>
          <DialogDescription className="sr-only">
            Search travelers, bookings, campaigns and webhook events by id, or go to a screen or action.
          </DialogDescription>
          <Command shouldFilter={false} label="Command palette" className="flex flex-col">
            <Command.Input
              value={query}
              onValueChange={setQuery}
              placeholder="An id or its start, a screen, an action…"
              aria-label="Search the console"
              className="w-full border-b border-border bg-transparent px-4 py-3 pr-10 text-sm outline-none"
            />
            <Command.List className="max-h-96 overflow-y-auto p-2 text-sm" aria-label="Results">
              {searching && <Command.Loading>Searching…</Command.Loading>}
              {failed && <p className="px-2 py-1 text-xs text-red-700">{failed}</p>}
              <Command.Empty className="px-2 py-3 text-muted-foreground">
                {q.length < 2 ? "Type an id or the start of one (2 characters or more)." : "Nothing matches."}
              </Command.Empty>
              {kinds.map((kind) => (
                <Command.Group key={kind} heading={kindHeadings[kind]} className="mb-1 text-xs text-muted-foreground">
                  {results
                    .filter((result) => result.kind === kind)
                    .map((result) => (
                      <Command.Item
                        key={`${kind}-${result.href}`}
                        value={`${kind}:${result.href}`}
                        onSelect={() => go(result.href)}
                        className="flex cursor-pointer flex-col rounded px-2 py-1.5 text-sm text-foreground data-[selected=true]:bg-muted"
                      >
                        <span className="font-mono">{result.title}</span>
                        <span className="text-xs text-muted-foreground">{result.detail}</span>
                      </Command.Item>
                    ))}
                </Command.Group>
              ))}
              {shownActions.length > 0 && (
                <Command.Group heading="Actions" className="mb-1 text-xs text-muted-foreground">
                  {shownActions.map((action) => (
                    <Command.Item
                      key={action.href}
                      value={`action:${action.href}`}
                      onSelect={() => go(action.href)}
                      className="cursor-pointer rounded px-2 py-1.5 text-sm text-foreground data-[selected=true]:bg-muted"
                    >
                      {action.label}
                    </Command.Item>
                  ))}
                </Command.Group>
              )}
              {shownScreens.length > 0 && (
                <Command.Group heading="Screens" className="mb-1 text-xs text-muted-foreground">
                  {shownScreens.map((screen) => (
                    <Command.Item
                      key={screen.href}
                      value={`screen:${screen.href}`}
                      onSelect={() => go(screen.href)}
                      className="cursor-pointer rounded px-2 py-1.5 text-sm text-foreground data-[selected=true]:bg-muted"
                    >
                      {screen.label}
                    </Command.Item>
                  ))}
                </Command.Group>
              )}
            </Command.List>
          </Command>
          <p className="border-t border-border px-4 py-2 text-xs text-muted-foreground">
            Enter opens · Esc closes · press ? outside a field for every shortcut
          </p>
        </DialogContent>
      </Dialog>

      <Dialog open={help} onOpenChange={setHelp}>
        <DialogContent>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogDescription>Outside a text field, anywhere in the console.</DialogDescription>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Keyboard shortcuts">
            <dt>
              <kbd>Ctrl</kbd>/<kbd>⌘</kbd> <kbd>K</kbd>
            </dt>
            <dd>Search ids, screens and actions</dd>
            <dt>
              <kbd>/</kbd>
            </dt>
            <dd>Focus this screen&apos;s search</dd>
            {jumps.map((jump) => (
              <div key={jump.keys} className="contents">
                <dt>
                  {jump.keys.split(" ").map((key) => (
                    <kbd key={key} className="mr-1">
                      {key}
                    </kbd>
                  ))}
                </dt>
                <dd>Go to {jump.label}</dd>
              </div>
            ))}
            <dt>
              <kbd>?</kbd>
            </dt>
            <dd>This list</dd>
          </dl>
        </DialogContent>
      </Dialog>
    </>
  );
}
