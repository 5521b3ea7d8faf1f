import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MIGRATIONS_DIR, readMigrationFiles } from "../lib/migrations";

// npm run db:migration:new -- <name>
// Authors a migration as SQL with `prisma migrate diff` (wasm, offline) from the schema at the last committed
// migration to prisma/schema.prisma. `prisma migrate dev` cannot run on PGlite (docs/architecture.md, "Databases and migrations").

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("Usage: npm run db:migration:new -- <name>");
  process.exit(1);
}

const prisma = path.join(process.cwd(), "node_modules", ".bin", "prisma");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "migration-"));
const existing = readMigrationFiles();
let from = ["--from-empty"];
if (existing.length > 0) {
  // The schema as of HEAD is the state the committed migrations produce.
  const previous = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" });
  const previousFile = path.join(tmp, "previous.prisma");
  fs.writeFileSync(previousFile, previous);
  from = ["--from-schema-datamodel", previousFile];
}
const sql = execFileSync(
  prisma,
  ["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { encoding: "utf8" },
);
if (/^-- This is an empty migration\.\s*$/m.test(sql) || !sql.trim()) {
  console.log("No schema change to migrate.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
