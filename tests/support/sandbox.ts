import http from "node:http";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { AddressInfo } from "node:net";
import { SANDBOX_CREDENTIALS, getEnv, resetEnvCache } from "@/lib/env";
import { resetHubbyClient } from "@/lib/hubby";
import { HubbyClient, type ApiCallRecord, type HubbyClientConfig } from "@/lib/hubby/client";
import { Sandbox, startSandbox, type SandboxOptions } from "@/lib/hubby-sandbox/sandbox";
import type { SandboxShapes } from "@/lib/hubby-sandbox/reply-shapes";
import { settleProjections } from "@/lib/webhooks/projector";

export const TEST_CREDENTIALS = { apiKey: "pk_contract_test", apiSecret: "sk_contract_test_secret_value" };
export const TEST_WEBHOOK_KEY = "whk_contract_test";

export type ReceivedWebhook = {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { event: string; event_id: string; timestamp: string; data: Record<string, unknown> };
};

/** A webhook receiver that records what arrives and answers with `status()`. */
export async function startReceiver(status: () => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The reply shapes test sandboxes use unless a test asks for one: HUBBY_SANDBOX_SHAPES, which the vitest project
 * sets (the `integration-documented` project runs its files against documented shapes only).
 */
export const testSandboxShapes = (): SandboxShapes => getEnv().HUBBY_SANDBOX_SHAPES;

/** An in-memory sandbox with a stopped clock (tests step it) and no background ticking. */
export async function startTestSandbox(options: Partial<SandboxOptions> & { webhookUrl: string }): Promise<Sandbox> {
  const sandbox = await startSandbox({
    shapes: testSandboxShapes(),
    credentials: TEST_CREDENTIALS,
    webhook: {
      url: options.webhookUrl,
      apiKey: TEST_WEBHOOK_KEY,
      authHeader: "x-api-key",
      authPrefix: "",
      timestampHeader: "x-hubby-timestamp",
      ...options.webhook,
    },
    clockSpeed: 0,
    tickMs: 0,
    duplicateRate: 0,
    travelers: 0,
    ...options,
  });
  // The sandbox sends what falls due several at a time; the console stores those as one batch and writes their
  // projection just after answering (docs/decisions/0071). A test stepping the clock then reads the projection, so
  // the step ends once this process's deferred projections are written too (none when the receiver only records).
  const advance = sandbox.advanceBy.bind(sandbox);
  sandbox.advanceBy = async (ms: number) => {
    await advance(ms);
    await settleProjections();
  };
  return sandbox;
}

export function clientFor(sandbox: Sandbox, overrides: Partial<HubbyClientConfig> = {}) {
  const records: ApiCallRecord[] = [];
  const client = new HubbyClient({
    baseUrl: `${sandbox.url}/api`,
    ...TEST_CREDENTIALS,
    retryBaseDelayMs: 1,
    recorder: (record) => {
      records.push(record);
    },
    ...overrides,
  });
  return { client, records };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * For one test file: a test sandbox (startTestSandbox, with `options`) whose webhooks go to a recording receiver,
 * both started before the file's tests and closed after them; with `clearFaults`, the sandbox's injected faults are
 * cleared before each test. The returned object is filled in by beforeAll.
 */
export function sandboxPerFile(options: Partial<SandboxOptions> & { clearFaults?: boolean } = {}) {
  const { clearFaults, ...sandboxOptions } = options;
  const harness = {} as { sandbox: Sandbox; receiver: Receiver };
  beforeAll(async () => {
    harness.receiver = await startReceiver();
    harness.sandbox = await startTestSandbox({ webhookUrl: harness.receiver.url, ...sandboxOptions });
  });
  afterAll(async () => {
    await harness.sandbox?.close();
    await harness.receiver?.close();
  });
  if (clearFaults) beforeEach(() => harness.sandbox.faults.clear());
  return harness;
}

/**
 * For one test file: a sandbox that the console's own configured client (hubbyFor) talks to, through
 * HUBBY_SANDBOX_PORT, with a webhook receiver answering `webhookStatus`, and the console configured with `env` too
 * (e.g. HUBBY_GET_RETRIES) for the file. `setup` runs once with a direct client (to book the travelers the file
 * needs). The returned object is filled in by beforeAll; afterAll removes what it set.
 */
export function withConsoleSandbox(
  options: {
    webhookStatus?: () => number;
    env?: Record<string, string>;
    setup?: (client: HubbyClient) => Promise<void>;
  } = {},
) {
  const harness = {} as { sandbox: Sandbox; receiver: Receiver };
  const env = options.env ?? {};
  beforeAll(async () => {
    harness.receiver = await startReceiver(options.webhookStatus);
    harness.sandbox = await startTestSandbox({
      webhookUrl: harness.receiver.url,
      credentials: { apiKey: SANDBOX_CREDENTIALS.apiKey, apiSecret: SANDBOX_CREDENTIALS.apiSecret },
    });
    Object.assign(process.env, env, { HUBBY_SANDBOX_PORT: new URL(harness.sandbox.url).port });
    resetEnvCache();
    resetHubbyClient();
    await options.setup?.(new HubbyClient({ baseUrl: `${harness.sandbox.url}/api`, ...SANDBOX_CREDENTIALS }));
  });
  afterAll(async () => {
    await harness.sandbox?.close();
    await harness.receiver?.close();
    for (const name of ["HUBBY_SANDBOX_PORT", ...Object.keys(env)]) delete process.env[name];
    resetEnvCache();
    resetHubbyClient();
  });
  return harness;
}
