import Module from "node:module";

/**
 * Imported first by scripts/server.ts. `server-only` throws unless it is resolved under the `react-server`
 * condition, and Next.js's own rendering must not run under that condition. This process is the server, so the
 * guard is satisfied here: the package's entry is pre-loaded as an empty module. Next.js's bundles resolve
 * `server-only` at build time and are not affected; browser bundles still fail the build if they import it.
 */
const requireHere = Module.createRequire(__filename);
const entry = requireHere.resolve("server-only");
const satisfied = new Module(entry);
satisfied.filename = entry;
satisfied.loaded = true;
requireHere.cache[entry] = satisfied;
