import fs from "node:fs";
import path from "node:path";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const root = import.meta.dirname;

// ── Import boundaries ────────────────────────────────────────────────────────────────────────────────────────
// Imports point one way: app/ and components/ → lib domains → the base (lib/hubby, lib/db.ts, lib/env.ts, lib/jobs
// and the small shared files at the top of lib/). The sandbox stands in for Hubby in development and tests only.
// lib/boundaries.test.ts shows each rule firing on a reverse import.

/** Top-level lib files that sit beside app/: they may import domains, and no domain imports them. */
const appSupport = [
  "lib/actions.ts", // the server-action runner: domains throw lib/errors.ts errors instead of importing it
  "lib/navigation.ts", // the sidebar's links, filtered by the role matrix
];

/** Folders of the base layer. Every top-level lib file not in appSupport belongs to the base too. */
const baseFolders = ["lib/hubby", "lib/jobs", "lib/generated"];

const sandbox = "lib/hubby-sandbox";

/**
 * The domains in the order they may import one another: each may import only the ones listed before it, so no two
 * domain folders can import each other, directly or round a circle. A new lib/ folder is a domain; place it here.
 */
const domainOrder = [
  "audit",
  "auth",
  "server",
  "catalog",
  "webhooks",
  "forwarding",
  "staff",
  "instructions",
  "travelers",
  "privacy",
  "retention",
  "bookings",
  "promo-codes",
  "campaigns",
  "alerts",
  "maintenance",
  "overview",
  "search",
];

const libEntries = fs.readdirSync(path.join(root, "lib"), { withFileTypes: true });
const libFolders = libEntries.filter((entry) => entry.isDirectory()).map((entry) => `lib/${entry.name}`);
const domains = libFolders.filter((folder) => folder !== sandbox && !baseFolders.includes(folder));
const unplaced = domains.filter((folder) => !domainOrder.includes(path.basename(folder)));
const rank = (folder) => domainOrder.indexOf(path.basename(folder));
/** An unplaced folder imports, and is imported by, no other domain until it is given its place. */
const mayImport = (domain, other) => rank(domain) >= 0 && rank(other) >= 0 && rank(other) < rank(domain);
const baseFiles = libEntries
  .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts"))
  .map((entry) => `lib/${entry.name}`)
  .filter((file) => !appSupport.includes(file));
const above = ["app", "components", ...appSupport];

const boundaryZones = [
  {
    target: [...baseFolders, ...baseFiles],
    from: [...domains, ...above, sandbox],
    message:
      "The base layer (lib/hubby, lib/db.ts, lib/env.ts, shared lib files) imports no domain, app code or the sandbox: move what it needs down.",
  },
  ...domains.map((domain) => ({
    target: domain,
    from: [...domains.filter((other) => other !== domain && !mayImport(domain, other)), ...above],
    message: unplaced.includes(domain)
      ? `${domain} has no place in domainOrder (eslint.config.mjs): place it before the domains that import it.`
      : `${domain} may import only the domains before it in domainOrder (eslint.config.mjs), never lib/actions.ts, lib/navigation.ts, app/ or components/.`,
  })),
];

const sandboxZone = {
  target: [
    "app",
    "components",
    "instrumentation.ts",
    "proxy.ts",
    ...libFolders.filter((f) => f !== sandbox),
    ...baseFiles,
    ...appSupport,
  ],
  from: [sandbox],
  message: "The Hubby sandbox is for scripts/, bench/ and tests only: the console never bundles it.",
};

const restrictedPaths = (zones) => ["error", { basePath: root, zones }];

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  { ignores: ["node_modules/**", ".next/**", "data/**", "lib/generated/**", "next-env.d.ts"] },
  {
    // lib/env.ts is the one reader of process.env.
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/env.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/env.ts." },
      ],
    },
  },
  {
    files: ["**/*.{ts,tsx,mts,js,mjs}"],
    ignores: ["**/*.test.ts"],
    rules: { "import/no-restricted-paths": restrictedPaths([...boundaryZones, sandboxZone]) },
  },
  {
    // Tests beside the code may use the sandbox's catalogue and renderer as fixtures; the layers still hold.
    files: ["**/*.test.ts"],
    rules: { "import/no-restricted-paths": restrictedPaths(boundaryZones) },
  },
];
export default config;
