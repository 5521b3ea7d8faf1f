import { parseArgs } from "node:util";
import { SANDBOX_CREDENTIALS } from "../lib/env";
import { sandboxOptionsFromEnv } from "../lib/hubby-sandbox/from-env";
import { startSandbox } from "../lib/hubby-sandbox/sandbox";
import { fail, loadProjectEnv, validateEnvOrExit } from "./lib";

// `npm run sandbox`: the built-in Hubby sandbox on its own, e.g. for a console started elsewhere.
const { values } = parseArgs({
  options: {
    speed: { type: "string" },
    latency: { type: "string" },
    "error-rate": { type: "string" },
    shapes: { type: "string" },
    help: { type: "boolean" },
  },
});

async function main() {
  if (values.help) {
    console.log(`npm run sandbox -- [--speed N] [--latency MS] [--error-rate 0..1] [--shapes full|documented]

  --speed N         simulated ms per real ms (default HUBBY_SANDBOX_CLOCK_SPEED, 60)
  --latency MS      add MS of latency to every API call
  --error-rate R    answer a share R of API calls with HTTP 500
  --shapes S        "documented": reply with only the fields Hubby documents (default HUBBY_SANDBOX_SHAPES, full)`);
    return;
  }
  loadProjectEnv(true);
  const env = validateEnvOrExit();
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && !(speed >= 0)) return fail("--speed must be a number ≥ 0");
  const shapes = values.shapes;
  if (shapes !== undefined && shapes !== "full" && shapes !== "documented") {
    return fail("--shapes must be full or documented");
  }
  const sandbox = await startSandbox(
    sandboxOptionsFromEnv(env, {
      ...(speed === undefined ? {} : { clockSpeed: speed }),
      ...(shapes === undefined ? {} : { shapes }),
    }),
  );
  if (values.latency) sandbox.faults.add({ kind: "latency", ms: Number(values.latency) });
  if (values["error-rate"])
    sandbox.faults.add({ kind: "status", status: 500, probability: Number(values["error-rate"]) });
  console.log(`Hubby sandbox listening on ${sandbox.url}
  API base URL   ${sandbox.url}/api
  API key        ${SANDBOX_CREDENTIALS.apiKey}
  API secret     ${SANDBOX_CREDENTIALS.apiSecret}
  Webhooks to    ${sandbox.options.webhook.url}
  Clock speed    ${sandbox.clock.getSpeed()}×
  Reply shapes   ${sandbox.options.shapes ?? "full"}`);
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch(fail);
