import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";

/**
 * Page weight of the production build, read from its manifests (no browser, no timing; decision 0055).
 *
 * A page's first-load JavaScript is what its HTML makes the browser fetch before it is interactive: the root main
 * files every page shares (.next/build-manifest.json `rootMainFiles`) plus the chunks of every client entry of its
 * segment tree (its layouts, error and loading boundaries, global-error and the page: `entryJSFiles` in
 * .next/server/app/<route>/page_client-reference-manifest.js). Sizes are gzip (level 9), what a server sends.
 * Chunks a page loads later (next/dynamic, a tab's chart, the command palette on first Ctrl/⌘K) are not in it.
 *
 * `npm run bench:page-weight` prints the table; tests/e2e/page-weight.test.ts fails over budget.
 */

export const BUDGET_KB = { "/travelers": 180, default: 200 } as const;

/** Code that must never reach a browser: markers only its own modules contain (minifiers keep string literals). */
export const SERVER_ONLY_MARKERS: { module: string; marker: RegExp }[] = [
  { module: "zod", marker: /\$ZodType|\$ZodError/ },
  { module: "prisma", marker: /PrismaClientKnownRequestError|@prisma\/client/ },
  { module: "pg", marker: /SASL: SCRAM-SERVER-FIRST-MESSAGE|pg-protocol/ },
  { module: "argon2", marker: /@node-rs\/argon2|argon2-wasm/ },
  { module: "pg-boss", marker: /pgboss\.job|pg-boss/ },
  { module: "pglite", marker: /@electric-sql\/pglite|pglite\.wasm/ },
  { module: "nodemailer", marker: /nodemailer/ },
];

/** recharts: a chart's library, loaded only where a chart draws (next/dynamic), never in a page's first load. */
export const CHART_MARKER = /recharts-wrapper|recharts-surface/;

export type RouteWeight = {
  route: string;
  budgetKb: number;
  /** First-load JavaScript, gzip bytes. */
  gzip: number;
  /** Of which the root main files every page shares. */
  sharedGzip: number;
  chunks: string[];
  /** Server-only modules and recharts found in the first-load chunks. */
  contains: string[];
};

export type PageWeight = {
  routes: RouteWeight[];
  sharedGzip: number;
  /** Every browser chunk that contains server-only code, first load or not. */
  serverOnlyChunks: { chunk: string; modules: string[] }[];
};

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

export function gzipSize(file: string, cache = new Map<string, number>()): number {
  let size = cache.get(file);
  if (size === undefined) {
    size = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
    cache.set(file, size);
  }
  return size;
}

function clientManifest(file: string): Record<string, { entryJSFiles: Record<string, string[]> }> {
  // The manifest is a script that assigns globalThis.__RSC_MANIFEST[…]; run it against a private object.
  const sandbox: { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } = {};
  new Function("globalThis", fs.readFileSync(file, "utf8"))(sandbox);
  return sandbox.__RSC_MANIFEST ?? {};
}

function contentsOf(chunkFile: string, cache: Map<string, string>): string {
  let text = cache.get(chunkFile);
  if (text === undefined) {
    text = fs.readFileSync(chunkFile, "utf8");
    cache.set(chunkFile, text);
  }
  return text;
}

export function measurePageWeight(root = process.cwd()): PageWeight {
  const next = path.join(root, ".next");
  if (!fs.existsSync(path.join(next, "BUILD_ID"))) throw new Error(`No production build in ${next}: run next build.`);
  const buildManifest = JSON.parse(fs.readFileSync(path.join(next, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const routesManifest = JSON.parse(
    fs.readFileSync(path.join(next, "app-path-routes-manifest.json"), "utf8"),
  ) as Record<string, string>;
  const sizes = new Map<string, number>();
  const texts = new Map<string, string>();
  const sizeOf = (chunk: string) => gzipSize(path.join(next, chunk), sizes);
  const scan = (chunk: string) => {
    const text = contentsOf(path.join(next, chunk), texts);
    const found = SERVER_ONLY_MARKERS.filter(({ marker }) => marker.test(text)).map(({ module }) => module);
    if (CHART_MARKER.test(text)) found.push("recharts");
    return found;
  };
  const shared = buildManifest.rootMainFiles;
  const sharedGzip = shared.reduce((sum, chunk) => sum + sizeOf(chunk), 0);

  const routes: RouteWeight[] = [];
  for (const [entry, route] of Object.entries(routesManifest)) {
    if (!entry.endsWith("/page") || route.startsWith("/_")) continue;
    const manifestFile = path.join(next, "server", "app", `${entry}_client-reference-manifest.js`);
    if (!fs.existsSync(manifestFile)) continue;
    const manifest = clientManifest(manifestFile)[entry];
    if (!manifest) throw new Error(`${manifestFile} has no entry ${entry}`);
    const chunks = new Set(shared);
    for (const [segment, files] of Object.entries(manifest.entryJSFiles)) {
      // not-found, forbidden and unauthorized boundaries load when one renders, not with the page (Chromium on
      // /travelers fetches every other entry's chunks, global-error's included: bench/lighthouse.ts compares).
      if (/\/(not-found|forbidden|unauthorized)$/.test(segment)) continue;
      for (const file of files) chunks.add(file);
    }
    const list = [...chunks];
    routes.push({
      route,
      budgetKb: route in BUDGET_KB ? BUDGET_KB[route as keyof typeof BUDGET_KB] : BUDGET_KB.default,
      gzip: list.reduce((sum, chunk) => sum + sizeOf(chunk), 0),
      sharedGzip,
      chunks: list,
      contains: [...new Set(list.flatMap(scan))].sort(),
    });
  }
  routes.sort((a, b) => a.route.localeCompare(b.route));

  const chunkDir = path.join(next, "static", "chunks");
  const serverOnlyChunks = fs
    .readdirSync(chunkDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".js"))
    .map((file) => {
      const text = contentsOf(path.join(chunkDir, file), texts);
      return {
        chunk: `static/chunks/${file}`,
        modules: SERVER_ONLY_MARKERS.filter(({ marker }) => marker.test(text)).map(({ module }) => module),
      };
    })
    .filter((chunk) => chunk.modules.length > 0);
  return { routes, sharedGzip, serverOnlyChunks };
}

export function overBudget(weight: PageWeight): RouteWeight[] {
  return weight.routes.filter((route) => route.gzip > route.budgetKb * 1024);
}

export function formatTable(weight: PageWeight): string {
  const rows = weight.routes.map((route) => [
    route.route,
    kb(route.gzip),
    kb(route.gzip - route.sharedGzip),
    String(route.budgetKb),
    route.gzip > route.budgetKb * 1024 ? "OVER" : "ok",
    route.contains.join(", ") || "-",
  ]);
  const header = ["route", "first-load kB gz", "own kB gz", "budget kB", "", "contains"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === 5 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join("  ")
      .trimEnd();
  return [
    `shared by every page (rootMainFiles): ${kb(weight.sharedGzip)} kB gzip`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const weight = measurePageWeight();
  console.log(formatTable(weight));
  const over = overBudget(weight);
  if (weight.serverOnlyChunks.length) {
    console.log("\nbrowser chunks with server-only code:");
    for (const chunk of weight.serverOnlyChunks) console.log(`  ${chunk.chunk}: ${chunk.modules.join(", ")}`);
  }
  console.log(
    `\n${over.length} route(s) over budget, ${weight.serverOnlyChunks.length} chunk(s) with server-only code`,
  );
  if (over.length || weight.serverOnlyChunks.length) process.exitCode = 1;
}
