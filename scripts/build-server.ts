import { buildConsoleServer, CONSOLE_SERVER_BUNDLE } from "./console-server";

// `npm run build`, after `next build`: the production start's server in one file (scripts/console-server.ts).
buildConsoleServer();
console.log(`Console server bundled: ${CONSOLE_SERVER_BUNDLE}`);
