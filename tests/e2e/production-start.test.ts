import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/lib/hubby-sandbox/sandbox";
import { freePort } from "../../bench/support";
import { consoleStartArgs } from "../../scripts/console-server";
import { startReceiver, startTestSandbox } from "../support/sandbox";
import { envelope } from "../support/webhooks";

// The console as `npm start` runs it (scripts/run-server.ts start, the production build), twice, started at the
// same moment against one fresh PostgreSQL database, as a deployment with two replicas starts: both must come up
// (issue 25: one of them used to crash creating the ADMIN_EMAIL admin). Then a journey through one of them (sign-in,
// pages that call Hubby, webhooks, a metrics scrape), a graceful stop with a webhook in flight, and a search of
// everything both processes printed for the secrets they were given.
//
// In the e2e project: it needs the production build `npm run test:e2e` makes first. PostgreSQL only (PGlite is one
// process's database; the db-lock test covers a second process being refused): TEST_DATABASE_URL, else
// VALIDATE_POSTGRES_URL, else the local server. Skipped when none answers, except in CI, where it must run.
const postgresUrl =
  process.env.TEST_DATABASE_URL || process.env.VALIDATE_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/test";

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresReachable = await postgresAnswers();
if (!postgresReachable && process.env.CI) throw new Error(`No PostgreSQL answers at ${postgresUrl}.`);

const secrets = {
  apiSecret: `sk_${crypto.randomBytes(12).toString("hex")}`,
  webhookKey: `whk_${crypto.randomBytes(12).toString("hex")}`,
  signingSecret: `whsec_${crypto.randomBytes(12).toString("hex")}`,
  adminPassword: `pw-${crypto.randomBytes(12).toString("hex")}`,
  sessionSecret: crypto.randomBytes(32).toString("hex"),
  metricsToken: `mt_${crypto.randomBytes(12).toString("hex")}`,
};
const ADMIN_EMAIL = "ops-admin@example.test";

type Instance = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };

const instances: Instance[] = [];
let database: { name: string; url: string } | undefined;
let sandbox: Sandbox | undefined;
let sandboxReceiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function startConsole(port: number, extraEnv: Record<string, string> = {}): Instance {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: database!.url,
    PGLITE_DATA_DIR: undefined,
    PORT: String(port),
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: secrets.sessionSecret,
    ADMIN_EMAIL,
    ADMIN_PASSWORD: secrets.adminPassword,
    HUBBY_API_BASE_URL: `${sandbox!.url}/api`,
    HUBBY_API_KEY: "pk_ops_test",
    HUBBY_API_SECRET: secrets.apiSecret,
    HUBBY_WEBHOOK_API_KEY: secrets.webhookKey,
    HUBBY_WEBHOOK_SIGNING_SECRET: secrets.signingSecret,
    METRICS_TOKEN: secrets.metricsToken,
    LOG_LEVEL: "debug",
    NEXT_TELEMETRY_DISABLED: "1",
    ...extraEnv,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, consoleStartArgs(port), {
    cwd: process.cwd(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: env as NodeJS.ProcessEnv,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const instance = { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
  instances.push(instance);
  return instance;
}

async function waitUntilReady(instance: Instance) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (instance.child.exitCode !== null) throw new Error(`the console exited during start-up:\n${instance.output()}`);
    try {
      if ((await fetch(`${instance.url}/api/health/ready`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the console did not become ready:\n${instance.output()}`);
}

function signedWebhook(body: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = crypto.createHmac("sha256", secrets.signingSecret).update(`${timestamp}.${body}`).digest("hex");
  return {
    "content-type": "application/json",
    "x-api-key": secrets.webhookKey,
    "x-hubby-timestamp": timestamp,
    "x-hubby-signature": `sha256=${signature}`,
  };
}

/** Signs in through next-auth's credentials callback as a browser would; answers the session cookie. */
async function signIn(instance: Instance): Promise<string> {
  const csrf = await fetch(`${instance.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  const response = await fetch(`${instance.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie.join("; ") },
    body: new URLSearchParams({ csrfToken, email: ADMIN_EMAIL, password: secrets.adminPassword, json: "true" }),
  });
  const session = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0]!)
    .find((cookie) => cookie.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed (${response.status})`);
  return session;
}

async function stop(instance: Instance) {
  if (instance.child.exitCode === null) process.kill(-instance.child.pid!, "SIGTERM");
  return instance.exited;
}

describe.skipIf(!postgresReachable)("npm start, twice at once, on one fresh PostgreSQL database", () => {
  beforeAll(async () => {
    const name = `start_${process.pid}_${Date.now()}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    database = { name, url: url.toString() };
    sandboxReceiver = await startReceiver();
    sandbox = await startTestSandbox({
      webhookUrl: sandboxReceiver.url,
      credentials: { apiKey: "pk_ops_test", apiSecret: secrets.apiSecret },
    });
  });

  afterAll(async () => {
    for (const instance of instances) {
      try {
        process.kill(-instance.child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await sandbox?.close();
    await sandboxReceiver?.close();
    if (database) await adminQuery(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`);
  });

  it("both instances come up; the admin exists once; a journey, then a graceful stop with a webhook in flight; no secret in the logs", async () => {
    const [first, second] = [
      startConsole(await freePort()),
      startConsole(await freePort(), { SHUTDOWN_DELAY_SECONDS: "3" }),
    ];
    await Promise.all([waitUntilReady(first!), waitUntilReady(second!)]);
    // On Linux a production start replaces its own process to cap glibc's malloc arenas (decision 0083): the pid
    // started is the console's, and its environment has the cap.
    if (process.platform === "linux" && process.env.MALLOC_ARENA_MAX === undefined && "execve" in process) {
      for (const instance of [first!, second!]) {
        const environment = fs.readFileSync(`/proc/${instance.child.pid}/environ`, "utf8").split("\0");
        expect(environment).toContain("MALLOC_ARENA_MAX=2");
      }
    }

    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    try {
      const admins = await client.query(`SELECT count(*)::int AS n FROM "StaffUser" WHERE email = $1`, [ADMIN_EMAIL]);
      expect(admins.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }

    // A journey through the first instance.
    const session = await signIn(first!);
    for (const page of ["/", "/travelers", "/webhooks", "/jobs"]) {
      const response = await fetch(`${first!.url}${page}`, { headers: { cookie: session } });
      expect(response.status, page).toBe(200);
    }
    // A traveler Hubby does not know: the page asks Hubby (a signed call) and says so.
    const traveler = await fetch(`${first!.url}/travelers/ops-traveler-1`, { headers: { cookie: session } });
    expect(traveler.status).toBeLessThan(500);
    const body = envelope("esim.installed", { external_user_id: "ops-1", booking_id: "b-ops-1", iccid: "8900000001" });
    const intake = await fetch(`${first!.url}/api/webhooks/hubby`, {
      method: "POST",
      headers: signedWebhook(body),
      body,
    });
    expect(intake.status).toBe(200);
    // A delivery without a valid signature is refused, and its request line says so (Hubby's deliveries take their own
    // path through the server, scripts/server.ts, which still logs each answer but a plain 200).
    const unsigned = await fetch(`${first!.url}/api/webhooks/hubby`, { method: "POST", body });
    expect(unsigned.status).toBe(401);
    const metrics = await fetch(`${first!.url}/api/metrics`, {
      headers: { authorization: `Bearer ${secrets.metricsToken}` },
    });
    expect(await metrics.text()).toMatch(/console_webhook_intakes_total\{[^}]*type="esim.installed"[^}]*\} 1/);

    // A webhook whose body is still arriving when the second instance is told to stop: it is answered and stored.
    const slowBody = envelope("esim.installed", { external_user_id: "ops-2", booking_id: "b-ops-2", iccid: "890002" });
    const port = Number(new URL(second!.url).port);
    const answer = new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/api/webhooks/hubby",
          method: "POST",
          headers: { ...signedWebhook(slowBody), "content-length": Buffer.byteLength(slowBody) },
          agent: false,
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      request.on("error", reject);
      request.write(slowBody.slice(0, 10));
      (globalThis as { __finishSlowBody?: () => void }).__finishSlowBody = () => request.end(slowBody.slice(10));
    });
    process.kill(-second!.child.pid!, "SIGTERM");
    // Not ready at once, while it still serves (SHUTDOWN_DELAY_SECONDS) …
    let readiness = 0;
    for (let attempt = 0; attempt < 100 && readiness !== 503; attempt++) {
      readiness = (await fetch(`${second!.url}/api/health/ready`)).status;
      if (readiness !== 503) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(readiness).toBe(503);
    // … then it takes no new connection, but the delivery in flight is finished and acknowledged.
    for (let attempt = 0; attempt < 200; attempt++) {
      const refused = await fetch(`${second!.url}/api/health/live`).then(
        () => false,
        () => true,
      );
      if (refused) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await expect(fetch(`${second!.url}/api/health/live`)).rejects.toThrow();
    (globalThis as { __finishSlowBody?: () => void }).__finishSlowBody!();
    expect(await answer).toBe(200);
    expect(await second!.exited).toBe(143);
    expect(await stop(first!)).toBe(143);

    const check = new pg.Client({ connectionString: database!.url });
    await check.connect();
    try {
      const stored = await check.query(
        `SELECT count(*)::int AS n FROM "WebhookEvent" WHERE "externalUserId" = 'ops-2'`,
      );
      expect(stored.rows[0].n).toBe(1);
    } finally {
      await check.end();
    }

    const output = first!.output() + second!.output();
    // The log lines are there: one per request with its route, status and the signed-in staff member, one per
    // Hubby call, and the graceful stop.
    const lines = output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      lines.find((line) => line.msg === "request" && line.route === "/travelers" && line.status === 200),
    ).toMatchObject({
      requestId: expect.any(String),
      latencyMs: expect.any(Number),
      staffId: expect.any(String),
    });
    const refusedLine = lines.find(
      (line) => line.msg === "request" && line.route === "/api/webhooks/hubby" && line.status === 401,
    );
    expect(refusedLine).toEqual(
      expect.objectContaining({ requestId: expect.any(String), latencyMs: expect.any(Number), method: "POST" }),
    );
    expect(refusedLine).not.toHaveProperty("aborted");
    expect(lines.some((line) => line.msg === "hubby call" && line.endpoint === "GET /native/user-dashboard")).toBe(
      true,
    );
    expect(lines.some((line) => line.msg === "stopped")).toBe(true);
    const sessionValue = session.split("=")[1]!;
    for (const [what, value] of Object.entries({ ...secrets, sessionCookie: sessionValue })) {
      expect(output.includes(value), `${what} appears in the logs`).toBe(false);
    }
  }, 300_000);
});
