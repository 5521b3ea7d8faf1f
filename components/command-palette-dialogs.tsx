"use client";
import { useCallback, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { Command } from "cmdk";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import type { SearchResult } from "@/lib/search/search";
import type { PaletteJump, PaletteLink } from "./command-palette-commands";

/**
 * The command palette's dialogs (cmdk and the dialog primitives): ./command-palette.tsx loads this module on the first
 * Ctrl/⌘K, "?" or click, so no page ships it in its first load (decision 0055).
 */

const SEARCH_DELAY_MS = 120;
const kindHeadings: Record<SearchResult["kind"], string> = {
  traveler: "Travelers",
  booking: "Bookings",
  campaign: "Campaigns",
  webhook: "Webhook events",
};

const matches = (label: string, q: string) => label.toLowerCase().includes(q.trim().toLowerCase());

export default function CommandPaletteDialogs({
  open,
  onOpenChange,
  help,
  onHelpChange,
  screens,
  actions,
  jumps,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  help: boolean;
  onHelpChange: (open: boolean) => void;
  screens: PaletteLink[];
  actions: PaletteLink[];
  jumps: PaletteJump[];
}) {
  const router = useRouter();
  const [query, setQuery] = useState("");
  /** The latest answer and the query it answers: results show only while they answer what is typed. */
  const [answer, setAnswer] = useState<{ q: string; results: SearchResult[]; failed: string | null } | null>(null);

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
      onOpenChange(false);
      setQuery("");
      router.push(href);
    },
    [onOpenChange, router],
  );

  const kinds = (Object.keys(kindHeadings) as SearchResult["kind"][]).filter((kind) =>
    results.some((result) => result.kind === kind),
  );
  const shownScreens = screens.filter((screen) => matches(screen.label, query));
  const shownActions = actions.filter((action) => matches(action.label, query));

  return (
    <>
      <Dialog
        open={open}
        onOpenChange={(value) => {
          onOpenChange(value);
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

      <Dialog open={help} onOpenChange={onHelpChange}>
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
