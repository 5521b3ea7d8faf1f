/** @type {import('next').NextConfig} */
module.exports = {
  // PGlite loads its wasm from its own files; bundling it breaks with "The path argument must be of type string".
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@node-rs/argon2"],
  // forbidden() renders app/forbidden.tsx with a 403 status.
  // Campaign files (app/(console)/campaigns/new) reach the dry-run server action whole: 50,000 rows are about 5 MB.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "25mb" } },
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
