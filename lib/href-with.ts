// No zod and no Next.js import: list links in the browser build their addresses here (lib/url-params.ts re-exports it).

/**
 * The same address with some parameters changed (`null` removes one), every other parameter kept: how pagination,
 * sort headers and "only this value" links move within a list without dropping its filters.
 */
export function hrefWith(
  pathname: string,
  current: URLSearchParams | string,
  changes: Record<string, string | null>,
): string {
  const params = new URLSearchParams(current);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  return `${pathname}?${params.toString()}`;
}
