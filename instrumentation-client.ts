import { z } from "zod";

// Runs in the browser before the console's own code (Next.js's client instrumentation hook). zod 4 probes
// `Function("")` when a module builds its first object schema, to compile faster parsers; the page's
// Content-Security-Policy forbids eval and reports that probe as a violation (decision 0043). Jitless parsers do
// without it. The server keeps the compiled ones.
z.config({ jitless: true });
