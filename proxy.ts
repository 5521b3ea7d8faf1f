import { NextResponse, type NextRequest } from "next/server";
import { decodePercentEncoding } from "@/lib/url-params";
import { getEnv, hubbyConnection } from "@/lib/env";
import {
  createNonce,
  pageContentSecurityPolicy,
  responseSecurityHeaders,
  servedOverHttps,
} from "@/lib/security-headers";

// Early redirect for signed-out browsers, a request id and the security headers on every request. Never the only
// check: every page, route handler and server action calls requireStaff.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
// /invite: a person without an account yet opens their invitation link there; /password-reset: a member who cannot
// sign in opens the reset link an admin sent (the single-use token is the credential, lib/staff/password-resets.ts).
const PUBLIC_PATHS = ["/login", "/api/auth", "/api/health", "/invite", "/password-reset"];
// Not a route: a rewrite here renders the not-found page with its 404.
const NOT_FOUND_PATH = "/_not-found";

/**
 * The security headers of this response: the base set, HSTS over https, and for anything but an API route a page
 * policy with a fresh nonce. Next.js reads the nonce back from the request's Content-Security-Policy and puts it on
 * its scripts (decision 0043); pages are rendered per request, so every response has its own.
 */
function securityHeaders(request: NextRequest): Record<string, string> {
  const env = getEnv();
  const https = servedOverHttps(env.NEXTAUTH_URL, request.headers.get("x-forwarded-proto"));
  const base = responseSecurityHeaders(https);
  if (request.nextUrl.pathname.startsWith("/api/")) return base;
  return {
    ...base,
    "Content-Security-Policy": pageContentSecurityPolicy({
      nonce: createNonce(),
      development: env.NODE_ENV === "development",
      https,
      imageOrigins: sandboxImageOrigins(),
    }),
  };
}

/** The built-in sandbox serves the images of its instructions over http (lib/instructions/preview.ts). */
function sandboxImageOrigins(): string[] {
  const connection = hubbyConnection();
  if (connection.environment !== "SANDBOX") return [];
  const origin = new URL(connection.baseUrl).origin;
  return origin.startsWith("http:") ? [origin] : [];
}

function withHeaders(response: NextResponse, values: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(values)) response.headers.set(name, value);
  return response;
}

export function proxy(request: NextRequest) {
  const requestId = request.headers.get("x-request-id")?.match(/^[A-Za-z0-9-]{8,64}$/)?.[0] ?? crypto.randomUUID();
  const security = securityHeaders(request);
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  headers.set("content-security-policy", security["Content-Security-Policy"]!);

  const { pathname, search } = request.nextUrl;
  // Next.js cannot match a dynamic route whose path does not decode (/travelers/%E0%A4%A) and answers a bare 500.
  if (decodePercentEncoding(pathname) === null) {
    const response = NextResponse.rewrite(new URL(NOT_FOUND_PATH, request.url), { request: { headers } });
    response.headers.set("x-request-id", requestId);
    return withHeaders(response, security);
  }
  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!isPublic && !hasSession && !pathname.startsWith("/api/")) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return withHeaders(NextResponse.redirect(url), security);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return withHeaders(response, security);
}

export const config = {
  // Webhooks stay outside: Hubby must never get a redirect. Campaign uploads stay outside: the proxy would buffer
  // their body (up to proxyClientMaxBodySize) before the route checks the caller. The icons and robots.txt are for
  // signed-out browsers and crawlers too: a redirect to /login would answer them with the sign-in page.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|logo.svg|apple-touch-icon.png|robots.txt|api/webhooks|api/campaigns/upload).*)",
  ],
};
