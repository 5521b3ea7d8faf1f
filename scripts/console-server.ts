import path from "node:path";
import { buildSync } from "esbuild";

/**
 * A production start runs the console's server from one CommonJS file that `npm run build` writes beside Next.js's
 * build: scripts/run-server.ts and what it imports from scripts/ and lib/, bundled by esbuild, every npm package left
 * for Node to load from node_modules. So the process carries no TypeScript loader: tsx's loader thread and esbuild's
 * service process held about 35 and 15 MB of a start's memory (docs/decisions/0084). `npm run dev` keeps tsx.
 */
export const CONSOLE_SERVER_BUNDLE = path.join(".next", "console-server", "run-server.cjs");

/** Writes CONSOLE_SERVER_BUNDLE under `root` (about a fifth of a second); throws with esbuild's message if it fails. */
export function buildConsoleServer(root = process.cwd()): void {
  buildSync({
    absWorkingDir: root,
    entryPoints: ["scripts/run-server.ts"],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    outfile: CONSOLE_SERVER_BUNDLE,
    // The generated Prisma client finds its folder from import.meta.url, which a CommonJS file does not have: it gets
    // the bundle's own URL, as tsx gave it its source file's.
    define: { "import.meta.url": "__consoleServerUrl" },
    banner: { js: 'const __consoleServerUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "warning",
  });
}

/** What follows `node <flags>` to start the console from the production build on `port`. */
export function consoleStartArgs(port: number): string[] {
  return [CONSOLE_SERVER_BUNDLE, "start", "-p", String(port)];
}
