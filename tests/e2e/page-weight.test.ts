import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CHART_MARKER, formatTable, measurePageWeight, overBudget, SERVER_ONLY_MARKERS } from "@/bench/page-weight";

// The page weight budget (decision 0055), read from the production build this e2e run built: no browser, no timing.
// First-load JavaScript ≤ 180 kB gzip on /travelers and ≤ 200 kB on every other page; no server-only module (zod,
// Prisma, pg, argon2, …) in any browser chunk; recharts only in chunks a page loads on demand.
const weight = measurePageWeight();

describe("page weight of the production build", () => {
  it("keeps every page's first-load JavaScript within its budget", () => {
    expect(weight.routes.length).toBeGreaterThan(20);
    // The table names every page, so a failure shows which one grew and by how much.
    expect(
      overBudget(weight).map((route) => route.route),
      `\n${formatTable(weight)}\n`,
    ).toEqual([]);
  });

  it("ships no server-only module to the browser", () => {
    expect(weight.serverOnlyChunks).toEqual([]);
  });

  it("loads recharts only on demand, never in a page's first load", () => {
    const withCharts = weight.routes.filter((route) => route.contains.includes("recharts")).map((route) => route.route);
    expect(withCharts, `\n${formatTable(weight)}\n`).toEqual([]);
  });

  it("recognises the modules it looks for (each marker matches its library's own code)", () => {
    // Guards the checks above against a marker that matches nothing after a library update.
    const source = (file: string) => fs.readFileSync(path.join(process.cwd(), "node_modules", file), "utf8");
    const zod = SERVER_ONLY_MARKERS.find((entry) => entry.module === "zod")!.marker;
    expect(zod.test(source("zod/v4/core/errors.js"))).toBe(true);
    expect(CHART_MARKER.test(source("recharts/es6/chart/RechartsWrapper.js"))).toBe(true);
  });
});
