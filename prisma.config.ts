import { defineConfig } from "prisma/config";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";

// The CLI is used only for `generate` and `migrate diff` (see README "Migrations"); it never opens ./data.
const realUrl = process.env.DATABASE_URL;
// The CLI must see a valid postgres URL, or `prisma generate` tries to download a query engine.
if (!realUrl) process.env.DATABASE_URL = "postgresql://pglite@localhost:5432/pglite";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    return realUrl ? new PrismaPg({ connectionString: realUrl }) : new PrismaPGlite(new PGlite("memory://"));
  },
});
