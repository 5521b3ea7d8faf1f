import "server-only";

// Stands in for the console's origin when none is configured: relative paths resolve the same against any origin,
// and an absolute URL can then never match it, so it falls back to the home page.
const UNKNOWN_ORIGIN = "http://console.invalid";

/**
 * Where the browser goes after signing in, from the `callbackUrl` the login page was given: only a path on the
 * console's own origin, decided the way the browser will read it (URL parsing, not string prefixes). Browsers drop
 * tabs and line breaks from URLs and read `\` as `/`, so `/\evil.example` and `/<TAB>/evil.example` mean
 * `//evil.example`: another host. Anything that is not a same-origin path gives `/`, the console's home.
 */
export function sameOriginCallbackPath(callbackUrl: unknown, consoleOrigin: string | undefined): string {
  if (typeof callbackUrl !== "string" || callbackUrl.length > 2000) return "/";
  const origin = (consoleOrigin && parseUrl(consoleOrigin)?.origin) || UNKNOWN_ORIGIN;
  const target = parseUrl(callbackUrl, origin);
  if (!target || target.origin !== origin) return "/";
  const path = `${target.pathname}${target.search}${target.hash}`;
  // The path is handed on as a relative URL, so it must read back to the same place: never `//host` (which
  // `/.//evil.example` normalises to).
  return !path.startsWith("//") && parseUrl(path, origin)?.href === target.href ? path : "/";
}

function parseUrl(value: string, base?: string): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}
