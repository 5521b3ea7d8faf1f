/** @type {import('next').NextConfig} */
module.exports = {
  // PGlite loads its wasm from its own files; bundling it breaks with "The path argument must be of type string".
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@node-rs/argon2", "pg-boss"],
  // forbidden() renders app/forbidden.tsx with a 403 status.
  // Server actions and the proxy buffer a request body before any check runs, so both are capped at what the
  // largest form needs (a booking for a few thousand travelers). Campaign files go to their own streaming route,
  // POST /api/campaigns/upload, outside the proxy.
  experimental: {
    authInterrupts: true,
    serverActions: { bodySizeLimit: "1mb" },
    proxyClientMaxBodySize: "1mb",
  },
  poweredByHeader: false,
  // `npm run validate` type-checks the whole project before its e2e layer builds (next typegen, then tsc --noEmit over
  // .next/types too: what this check covers), and sets this only when that passed (scripts/test-all.ts). Every other
  // build checks.
  typescript: { ignoreBuildErrors: process.env.CONSOLE_TYPES_CHECKED === "1" },
  // The dev server is often opened as http://127.0.0.1:3000 as well as localhost.
  allowedDevOrigins: ["127.0.0.1"],
  // The security headers of everything Next.js serves, static files included (decision 0043). The same values as
  // BASE_SECURITY_HEADERS in lib/security-headers.ts (lib/security-headers.test.ts compares them); proxy.ts sets a
  // page policy with a nonce over the Content-Security-Policy here, and the console's server sets them on what
  // Next.js never sees (the webhook receiver). HSTS here only when a trusted proxy says https (the console's server
  // drops X-Forwarded-Proto otherwise); the proxy and the server also send it when NEXTAUTH_URL is https.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          {
            key: "Permissions-Policy",
            value:
              "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), " +
              "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()",
          },
          {
            key: "Content-Security-Policy",
            value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
          },
        ],
      },
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }],
      },
    ];
  },
};
