import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The sandbox stands in for Hubby only in development and tests: no file the app bundles may import it.
const root = path.resolve(import.meta.dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "sandbox" ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("the sandbox stays out of the production import graph", () => {
  it("is imported by no file under app/, components/ or lib/ (outside lib/hubby-sandbox)", () => {
    const offenders = ["app", "components", "lib"]
      .flatMap((dir) => sourceFiles(path.join(root, dir)))
      .filter((file) => /from\s+["'][^"']*\/sandbox\//.test(fs.readFileSync(file, "utf8")))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
