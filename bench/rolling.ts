import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { handledEvents, sampleEvent, deliveryHeaders } from "../lib/webhooks/samples";
import { ensureBuild, freePort, spawnConsole, stopConsole } from "./support";

/**
 * `npm run bench:rolling`: a rolling restart under load. Two consoles started as `npm start` starts them (production
 * build) share one fresh PostgreSQL database behind a small round-robin proxy written here, which sends requests
 * only to instances whose GET /api/health/ready answers 200 (polled every 200 ms, as a load balancer does) and
 * tries the other instance when a connection is refused (nothing was sent) or, for GETs and webhooks (stored once
 * per event id), reset before any answer. Signed webhooks and page requests
 * (the sign-in page, a signed-in screen) go through the proxy while each instance in turn is stopped with SIGTERM
 * and started again. Prints requests sent, answers that were not 2xx, and webhooks acknowledged vs stored.
 *
 * BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres: the server to create the bench database on),
 * BENCH_WEBHOOK_CONCURRENCY (8), BENCH_PAGE_CONCURRENCY (2), BENCH_BUILD=1 to rebuild.
 */

const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const WEBHOOK_CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 8);
const PAGE_CONCURRENCY = Number(process.env.BENCH_PAGE_CONCURRENCY ?? 2);
const KEY = "whk_bench_rolling_key";
const SECRET = "whsec_bench_rolling";
const ADMIN = { email: "bench-admin@example.test", password: "bench-rolling-admin-password" };
const webhookSettings = {
  apiKey: KEY,
  authHeader: "x-api-key",
  authPrefix: "",
  signingSecret: SECRET,
  timestampHeader: "x-hubby-timestamp",
};

function idempotent(request: http.IncomingMessage): boolean {
  return request.method === "GET" || request.url === "/api/webhooks/hubby";
}

type Backend = { name: string; port: number; ready: boolean; slowProbes: number };

/** The proxy: round-robin over ready backends; a refused connection is tried on the next one. */
async function startProxy(backends: Backend[]) {
  let next = 0;
  const stats = { retriedAfterRefusal: 0, retriedAfterReset: 0, noBackend: 0 };
  const forward = (
    request: http.IncomingMessage,
    body: Buffer,
    response: http.ServerResponse,
    triesLeft: number,
  ): void => {
    const ready = backends.filter((backend) => backend.ready);
    if (ready.length === 0 || triesLeft === 0) {
      stats.noBackend += 1;
      response.writeHead(503).end("no ready backend");
      return;
    }
    const backend = ready[next++ % ready.length]!;
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: backend.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, connection: "close" },
        agent: false,
      },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED" && !response.headersSent) {
        // Nothing reached the instance: it stopped listening before the readiness poll saw it go.
        if (backend.ready) console.log(`[proxy] ${backend.name}: not ready (connection refused)`);
        backend.ready = false;
        stats.retriedAfterRefusal += 1;
        forward(request, body, response, triesLeft - 1);
        return;
      }
      if (error.code === "ECONNRESET" && !response.headersSent && idempotent(request)) {
        // A connection still in the listen queue when the instance closed its listener is reset. Retried only
        // where a repeat is harmless (as a balancer's "retry on reset" for idempotent routes): GETs, and webhooks,
        // which the console stores once per event id.
        stats.retriedAfterReset += 1;
        forward(request, body, response, triesLeft - 1);
        return;
      }
      if (!response.headersSent) response.writeHead(502).end(`proxy: ${error.code ?? error.message}`);
      else response.destroy();
    });
    upstream.end(body);
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => forward(request, Buffer.concat(chunks), response, backends.length + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let polling = true;
  // One probe loop per backend, so a slow or starting instance never delays noticing that another one stops.
  const probe = async (backend: Backend) => {
    while (polling) {
      let answer: string;
      try {
        const reply = await fetch(`http://127.0.0.1:${backend.port}/api/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        });
        answer = reply.status === 200 ? "ready" : `${reply.status} ${await reply.text()}`;
      } catch (error) {
        answer = (error as Error).name === "TimeoutError" ? "timeout" : "refused";
      }
      // As balancers do: an explicit "not ready" or a refused connection counts at once; a slow answer on a
      // busy machine only after three in a row.
      backend.slowProbes = answer === "timeout" ? backend.slowProbes + 1 : 0;
      const ready = answer === "ready" || (answer === "timeout" && backend.ready && backend.slowProbes < 3);
      if (ready !== backend.ready) console.log(`[proxy] ${backend.name}: ${ready ? "ready" : `not ready (${answer})`}`);
      backend.ready = ready;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const polled = Promise.all(backends.map(probe));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    async close() {
      polling = false;
      await polled;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type Tally = {
  sent: number;
  statuses: Map<number, number>;
  errors: number;
  webhooksAcknowledged: number;
  pages: number;
  /** The first few answers that were not 2xx, to say what went wrong. */
  samples: string[];
};

function count(tally: Tally, status: number) {
  tally.sent += 1;
  tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
}

async function request(url: string, init: RequestInit, tally: Tally): Promise<Response | undefined> {
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    count(tally, response.status);
    if ((response.status < 200 || response.status >= 300) && tally.samples.length < 5) {
      tally.samples.push(`${response.status} ${new URL(url).pathname}: ${text.slice(0, 200)}`);
    }
    return response;
  } catch {
    tally.sent += 1;
    tally.errors += 1;
    return undefined;
  }
}

async function signIn(proxyUrl: string): Promise<string> {
  const csrf = await fetch(`${proxyUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  const response = await fetch(`${proxyUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: "true" }),
  });
  const session = response.headers
    .getSetCookie()
    .map((value) => value.split(";")[0]!)
    .find((value) => value.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`the bench could not sign in (${response.status})`);
  return session;
}

async function waitReady(backend: Backend, child: ReturnType<typeof spawnConsole>) {
  let last = "no answer";
  for (let attempt = 0; attempt < 1_200; attempt++) {
    if (child.exitCode !== null) throw new Error(`${backend.name} exited during start-up`);
    try {
      const response = await fetch(`http://127.0.0.1:${backend.port}/api/health/ready`);
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${backend.name} did not become ready (last answer: ${last})`);
}

async function main() {
  ensureBuild();
  const name = `bench_rolling_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const databaseUrl = new URL(PG_ADMIN_URL);
  databaseUrl.pathname = `/${name}`;
  const backends: Backend[] = [
    { name: "instance A", port: await freePort(), ready: false, slowProbes: 0 },
    { name: "instance B", port: await freePort(), ready: false, slowProbes: 0 },
  ];
  const proxy = await startProxy(backends);
  const env = {
    DATABASE_URL: databaseUrl.toString(),
    // One session secret and public URL for both: a session signed in on one instance is valid on the other.
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    NEXTAUTH_URL: proxy.url,
    HUBBY_WEBHOOK_API_KEY: KEY,
    HUBBY_WEBHOOK_SIGNING_SECRET: SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "warn",
    // Time for the proxy's readiness poll (every 200 ms, slower on a busy machine) to see the instance go before it
    // stops listening.
    SHUTDOWN_DELAY_SECONDS: "3",
  };
  const children = backends.map((backend) => spawnConsole(backend.port, env, "inherit"));
  const tally: Tally = { sent: 0, statuses: new Map(), errors: 0, webhooksAcknowledged: 0, pages: 0, samples: [] };
  let loading = true;
  const loads: Promise<void>[] = [];
  try {
    console.log(`[bench] starting two consoles on one fresh PostgreSQL database (${databaseUrl.host}/${name}) …`);
    await Promise.all(backends.map((backend, index) => waitReady(backend, children[index]!)));
    const session = await signIn(proxy.url);
    let eventIndex = 0;
    for (let worker = 0; worker < WEBHOOK_CONCURRENCY; worker++) {
      loads.push(
        (async () => {
          while (loading) {
            const index = eventIndex++;
            const event = handledEvents[index % handledEvents.length]!;
            const body = JSON.stringify(
              sampleEvent(event, {
                externalUserId: `rolling_${index % 100}`,
                bookingId: `booking_${index % 200}`,
                packageId: `pkg_${index % 300}`,
              }),
            );
            const response = await request(
              `${proxy.url}/api/webhooks/hubby`,
              { method: "POST", headers: deliveryHeaders(body, webhookSettings), body },
              tally,
            );
            if (response?.status === 200) tally.webhooksAcknowledged += 1;
          }
        })(),
      );
    }
    for (let worker = 0; worker < PAGE_CONCURRENCY; worker++) {
      loads.push(
        (async () => {
          for (let index = 0; loading; index++) {
            const signedIn = index % 2 === 1;
            await request(
              `${proxy.url}${signedIn ? "/webhooks" : "/login"}`,
              signedIn ? { headers: { cookie: session } } : {},
              tally,
            );
            tally.pages += 1;
          }
        })(),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    for (const [index, backend] of backends.entries()) {
      const started = performance.now();
      console.log(`[bench] restarting ${backend.name} (SIGTERM, then npm start again) …`);
      await stopConsole(children[index]!);
      children[index] = spawnConsole(backend.port, env, "inherit");
      await waitReady(backend, children[index]!);
      console.log(`[bench] ${backend.name} ready again after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
    loading = false;
    await Promise.all(loads);
  } finally {
    loading = false;
    await Promise.all(loads).catch(() => undefined);
    await proxy.close();
    for (const child of children) await stopConsole(child);
  }

  const check = new pg.Client({ connectionString: databaseUrl.toString() });
  await check.connect();
  const stored = (await check.query(`SELECT count(*)::int AS n FROM "WebhookEvent"`)).rows[0].n as number;
  await check.end();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();

  const non2xx = [...tally.statuses].filter(([status]) => status < 200 || status >= 300);
  const non2xxCount = non2xx.reduce((sum, [, n]) => sum + n, 0);
  console.log("\nRolling restart of two instances under load (each stopped with SIGTERM and started again)");
  console.log(`  requests sent:            ${tally.sent} (${tally.sent - tally.pages} webhooks, ${tally.pages} pages)`);
  console.log(
    `  non-2xx answers:          ${non2xxCount}${non2xx.length ? ` (${non2xx.map(([s, n]) => `${s}: ${n}`).join(", ")})` : ""}`,
  );
  console.log(`  failed requests:          ${tally.errors} (no answer at all)`);
  console.log(`  webhooks acknowledged:    ${tally.webhooksAcknowledged}`);
  console.log(`  webhooks stored:          ${stored}`);
  console.log(
    `  proxy retries:            ${proxy.stats.retriedAfterRefusal} after a refused connection, ${proxy.stats.retriedAfterReset} after a reset`,
  );
  for (const sample of tally.samples) console.log(`  not 2xx: ${sample}`);
  process.exitCode = non2xxCount === 0 && tally.errors === 0 && stored === tally.webhooksAcknowledged ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
