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
  // The dev server is often opened as http://127.0.0.1:3000 as well as localhost.
  allowedDevOrigins: ["127.0.0.1"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};
