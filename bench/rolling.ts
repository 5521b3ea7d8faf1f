import crypto from "node:crypto";
import pg from "pg";
import { handledEvents, sampleEvent, deliveryHeaders } from "../lib/webhooks/samples";
import {
  backend,
  createBenchDatabase,
  ensureBuild,
  freePort,
  signIn,
  spawnConsole,
  startRoundRobinProxy,
  stopConsole,
  waitReady,
} from "./support";

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

async function main() {
  ensureBuild();
  const database = await createBenchDatabase(`bench_rolling_${Date.now()}`, PG_ADMIN_URL);
  const backends = [backend("instance A", await freePort()), backend("instance B", await freePort())];
  const proxy = await startRoundRobinProxy(backends);
  const env = {
    DATABASE_URL: database.url,
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
  const children = backends.map(({ port }) => spawnConsole(port, env, "inherit"));
  const tally: Tally = { sent: 0, statuses: new Map(), errors: 0, webhooksAcknowledged: 0, pages: 0, samples: [] };
  let loading = true;
  const loads: Promise<void>[] = [];
  try {
    console.log(`[bench] starting two consoles on one fresh PostgreSQL database (${database.name}) …`);
    await Promise.all(backends.map(({ name, port }, index) => waitReady(name, port, children[index]!)));
    const session = await signIn(proxy.url, ADMIN);
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
    for (const [index, { name, port }] of backends.entries()) {
      const started = performance.now();
      console.log(`[bench] restarting ${name} (SIGTERM, then npm start again) …`);
      await stopConsole(children[index]!);
      children[index] = spawnConsole(port, env, "inherit");
      await waitReady(name, port, children[index]!);
      console.log(`[bench] ${name} ready again after ${((performance.now() - started) / 1000).toFixed(1)} s`);
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

  const check = new pg.Client({ connectionString: database.url });
  await check.connect();
  const stored = (await check.query(`SELECT count(*)::int AS n FROM "WebhookEvent"`)).rows[0].n as number;
  await check.end();
  await database.drop();

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
