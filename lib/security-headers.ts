/**
 * The security headers of every response (decision 0043). Pure: imported by proxy.ts (pages and API routes), by the
 * console's HTTP server (lib/server/http-server.ts: every response, the webhook receiver and its own refusals
 * included) and by tests. next.config.js repeats BASE_SECURITY_HEADERS for what Next.js serves without the proxy
 * (static files); lib/security-headers.test.ts keeps the two equal.
 */

/** Headers every response carries, whatever it is. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // Older browsers that do not read frame-ancestors.
  "X-Frame-Options": "DENY",
  "Permissions-Policy":
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), " +
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()",
  // What is not a page (JSON, CSV, images, scripts) may load nothing and be framed by nobody; pages get
  // pageContentSecurityPolicy() from the proxy instead.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** Two years, subdomains included: sent only when the console is served over https. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

export type PagePolicyOptions = {
  nonce: string;
  /** Development: React's dev build evaluates code (call stacks) and the dev overlay needs it. */
  development?: boolean;
  /** Served over https: plain-http subresources are upgraded. */
  https?: boolean;
  /** Extra image origins: the built-in sandbox serves instruction images over http (lib/instructions/preview.ts). */
  imageOrigins?: readonly string[];
};

/**
 * The Content-Security-Policy of a page. Scripts run only with this request's nonce (Next.js puts it on its own
 * inline and chunk scripts; 'strict-dynamic' lets those load the rest). Styles allow 'unsafe-inline': React style
 * attributes (recharts, Radix positioning) cannot carry a nonce (decision 0043). The instructions preview is an
 * `<iframe srcdoc>`, which inherits this policy on top of its own, so images (https: and the sandbox) and fonts of
 * instructions stay allowed; the preview's own policy forbids everything else in it.
 */
export function pageContentSecurityPolicy(options: PagePolicyOptions): string {
  const images = ["'self'", "data:", "blob:", "https:", ...(options.imageOrigins ?? [])];
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src ${images.join(" ")}`,
    "font-src 'self' data: https:",
    "connect-src 'self'",
    "frame-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** A fresh nonce: 16 random bytes, base64 (the characters Next.js reads back from the policy). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Whether this request reached the console over https: the public URL says so (NEXTAUTH_URL), or a trusted proxy
 * in front said so in X-Forwarded-Proto (the console's server drops that header unless TRUST_PROXY is set).
 */
export function servedOverHttps(publicUrl: string | undefined, forwardedProto: string | null | undefined): boolean {
  if (publicUrl?.startsWith("https://")) return true;
  return forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** The headers of a response that is not a page: the base set, and HSTS over https. */
export function responseSecurityHeaders(https: boolean): Record<string, string> {
  return https
    ? { ...BASE_SECURITY_HEADERS, "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY }
    : { ...BASE_SECURITY_HEADERS };
}
