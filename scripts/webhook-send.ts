import { parseArgs } from "node:util";
import { getEnv, webhookSettings } from "../lib/env";
import { isHandledEvent } from "../lib/webhooks/envelope";
import { deliveryHeaders, handledEvents, sampleEvent } from "../lib/webhooks/samples";
import { fail, loadProjectEnv, validateEnvOrExit } from "./lib";

// `npm run webhook:send -- <event> [--external-user-id …]`: a correctly authenticated sample to a running console.
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "external-user-id": { type: "string" },
    "booking-id": { type: "string" },
    "package-id": { type: "string" },
    url: { type: "string" },
    help: { type: "boolean" },
  },
});

async function main() {
  const event = positionals[0];
  if (values.help || !event) {
    console.log(`npm run webhook:send -- <event> [--external-user-id ID] [--booking-id ID] [--package-id ID] [--url URL]

Events: ${handledEvents.join(", ")}
Default URL: http://127.0.0.1:$PORT/api/webhooks/hubby (HUBBY_WEBHOOK_URL if set). Uses HUBBY_WEBHOOK_API_KEY,
HUBBY_WEBHOOK_AUTH_HEADER/_PREFIX and HUBBY_WEBHOOK_SIGNING_SECRET, like the console does.`);
    if (!event && !values.help) process.exit(1);
    return;
  }
  if (!isHandledEvent(event)) return fail(`Unknown event "${event}". Events: ${handledEvents.join(", ")}`);
  loadProjectEnv(true);
  validateEnvOrExit();
  const env = getEnv();
  const settings = webhookSettings(env);
  if (!settings.apiKey) return fail("HUBBY_WEBHOOK_API_KEY is not set: the console would refuse the event.");
  const url = values.url ?? env.HUBBY_WEBHOOK_URL ?? `http://127.0.0.1:${env.PORT}/api/webhooks/hubby`;
  const body = JSON.stringify(
    sampleEvent(event, {
      externalUserId: values["external-user-id"] ?? "partner_user_456",
      bookingId: values["booking-id"] ?? "booking_abc",
      packageId: values["package-id"] ?? "pkg_xyz",
    }),
  );
  const response = await fetch(url, {
    method: "POST",
    headers: deliveryHeaders(body, { ...settings, apiKey: settings.apiKey }),
    body,
  }).catch((error: unknown) => fail(`Could not reach ${url}: ${error instanceof Error ? error.message : error}`));
  const text = await response.text();
  console.log(`${response.status} ${text}`);
  if (!response.ok) process.exit(1);
}

main().catch(fail);
