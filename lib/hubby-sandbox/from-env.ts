import path from "node:path";
import { SANDBOX_CREDENTIALS, webhookSettings, type Env } from "../env";
import type { SandboxOptions } from "./sandbox";

/** Sandbox options for `npm run dev` and `npm run sandbox`, from the validated environment. */
export function sandboxOptionsFromEnv(env: Env, overrides: Partial<SandboxOptions> = {}): SandboxOptions {
  const webhook = webhookSettings(env);
  return {
    port: env.HUBBY_SANDBOX_PORT,
    credentials: { apiKey: SANDBOX_CREDENTIALS.apiKey, apiSecret: SANDBOX_CREDENTIALS.apiSecret },
    webhook: {
      url: env.HUBBY_WEBHOOK_URL ?? `http://127.0.0.1:${env.PORT}/api/webhooks/hubby`,
      apiKey: webhook.apiKey ?? SANDBOX_CREDENTIALS.webhookApiKey,
      authHeader: webhook.authHeader,
      authPrefix: webhook.authPrefix,
      signingSecret: webhook.signingSecret,
      timestampHeader: webhook.timestampHeader,
    },
    dataDir: path.resolve(env.HUBBY_SANDBOX_DATA_DIR),
    clockSpeed: env.HUBBY_SANDBOX_CLOCK_SPEED,
    travelers: env.HUBBY_SANDBOX_TRAVELERS,
    shapes: env.HUBBY_SANDBOX_SHAPES,
    arrivals: true,
    log: (message) => console.log(`[sandbox] ${message}`),
    ...overrides,
  };
}
