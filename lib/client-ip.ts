/**
 * The client's address, for the sign-in throttle, refusal counts and audit details.
 *
 * The console's own server (lib/server/http-server.ts) leaves exactly one source for it in X-Forwarded-For:
 * - without TRUST_PROXY it replaces whatever the client sent with the peer address of the connection;
 * - with TRUST_PROXY the proxy in front appends the address it saw to the list the client sent. The LAST entry is
 *   the proxy's word; everything before it was written by the client, so taking the first entry would let anyone
 *   choose the address the throttle counts (a new one per attempt, and never throttled).
 * X-Real-IP is never read: a proxy that does not set it passes the client's own value through.
 */

type HeaderSource = { get(name: string): string | null } | Record<string, unknown> | undefined | null;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return value.map(String).join(",");
  return typeof value === "string" ? value : undefined;
}

/** At most this long (an IPv6 address with a zone fits); longer values are cut, never stored whole. */
const MAX_ADDRESS_LENGTH = 64;

/** The nearest hop of X-Forwarded-For (see above), or null when there is none. */
export function clientAddress(headers: HeaderSource): string | null {
  const hops = (headerValue(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const nearest = hops[hops.length - 1];
  return nearest ? nearest.slice(0, MAX_ADDRESS_LENGTH) : null;
}
