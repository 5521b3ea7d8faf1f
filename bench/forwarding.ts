import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { Webhook } from "standardwebhooks";
import { deliveryHeaders } from "../lib/webhooks/samples";
import { createBenchDatabase, ensureBuild, freePort, spawnConsole, stopConsole, waitForHealth } from "./support";
import { drive, KEY, SECRET, settings, workload } from "./webhooks";

/**
 * `npm run bench:forwarding`: the intake bench's load (bench/webhooks.ts: realistic signed events, 5% duplicates)
 * sent to the console started as `npm start` runs it, with no forwarding endpoint, with one and with three (local
 * receivers that verify every signature with standardwebhooks), on PGlite and, when a PostgreSQL server is given, on
 * PostgreSQL. The three consoles run side by side and take the load in alternating rounds (see run()): intake
 * events/s at full speed, the time until every event reached every endpoint (deliveries/s); then, with endpoints, a
 * paced run at half the intake's capacity (measured without forwarding) gives receive → delivered p50/p99.
 *
 * BENCH_EVENTS (default 2857 events per console, and 5% resends: 3,000 deliveries, the first 200 warm up; `--large`
 * sends three times as many),
 * BENCH_CONCURRENCY (16), BENCH_ROUNDS (4), BENCH_PACED_EVENTS (600), BENCH_DATABASE_URL or BENCH_PG_URL (a PostgreSQL URL whose user
 * may create databases: each run gets a fresh database beside it, dropped afterwards; without one, PGlite only).
 */

const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.BENCH_PG_URL || "";
const DATABASES = PG_ADMIN_URL ? ["pglite", "postgres"] : ["pglite"];
const LARGE = process.argv.includes("--large");
const PACED_EVENTS = Number(process.env.BENCH_PACED_EVENTS ?? 600) * (LARGE ? 3 : 1);
const DELIVERY_TIMEOUT_MS = 120_000;
/** The intake is measured in this many slices per console, alternating the consoles' order. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const ENDPOINT_COUNTS = [0, 1, 3];

/**
 * Events in one run's load: 2,857 by default, and 143 resends, the 3,000 deliveries bench:webhooks sent before it
 * took issue 23's 5,000 events (docs/decisions/0076), so that forwarding's figures stay comparable.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2857);
/** The load of one run: the intake bench's workload, three of them with --large. */
const load = () =>
  LARGE
    ? [workload(EVENTS), workload(EVENTS), workload(EVENTS)].flatMap((part) => part.bodies)
    : workload(EVENTS).bodies;

export type Receiver = {
  url: string;
  secret: string;
  /** event_id → when it first arrived (ms, performance clock). */
  firstArrival: Map<string, number>;
  webhookIds: Map<string, string>;
  requests: number;
  signatureFailures: number;
  sameIdMismatch: number;
  close(): Promise<void>;
};

/** A partner endpoint on loopback: verifies every signature with standardwebhooks and records what arrived. */
export async function startReceiver(): Promise<Receiver> {
  const secret = `whsec_${crypto.randomBytes(24).toString("base64")}`;
  const verifier = new Webhook(secret);
  const receiver: Receiver = {
    url: "",
    secret,
    firstArrival: new Map(),
    webhookIds: new Map(),
    requests: 0,
    signatureFailures: 0,
    sameIdMismatch: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString("utf8");
      receiver.requests++;
      const header = (name: string) => String(request.headers[name] ?? "");
      try {
        verifier.verify(body, {
          "webhook-id": header("webhook-id"),
          "webhook-timestamp": header("webhook-timestamp"),
          "webhook-signature": header("webhook-signature"),
        });
      } catch {
        receiver.signatureFailures++;
      }
      const eventId = (JSON.parse(body) as { event_id: string }).event_id;
      if (!receiver.firstArrival.has(eventId)) receiver.firstArrival.set(eventId, at);
      const known = receiver.webhookIds.get(eventId);
      if (known && known !== header("webhook-id")) receiver.sameIdMismatch++;
      receiver.webhookIds.set(eventId, header("webhook-id"));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

async function freshDatabase(
  kind: string,
  temp: string,
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (kind === "pglite") {
    const dir = path.join(temp, `pglite-${crypto.randomBytes(4).toString("hex")}`);
    return { env: { PGLITE_DATA_DIR: dir, DATABASE_URL: "" }, drop: async () => undefined };
  }
  const scratch = await createBenchDatabase(
    `bench_forwarding_${process.pid}_${crypto.randomBytes(4).toString("hex")}`,
    PG_ADMIN_URL,
  );
  return { env: { DATABASE_URL: scratch.url }, drop: () => scratch.drop() };
}

async function withConsole<T>(env: Record<string, string>, run: (webhookUrl: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const child = spawnConsole(
    port,
    { ...env, HUBBY_WEBHOOK_API_KEY: KEY, HUBBY_WEBHOOK_SIGNING_SECRET: SECRET, HUBBY_FORWARD_ALLOW_PRIVATE: "true" },
    "inherit",
  );
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child);
    return await run(`http://127.0.0.1:${port}/api/webhooks/hubby`);
  } finally {
    await stopConsole(child);
  }
}

const eventIdOf = (body: string) => (JSON.parse(body) as { event_id: string }).event_id;

async function allDelivered(receivers: Receiver[], eventIds: Set<string>) {
  const deadline = performance.now() + DELIVERY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (receivers.every((receiver) => [...eventIds].every((id) => receiver.firstArrival.has(id)))) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Sends `bodies` at `perSecond`, answering when each was sent (performance clock), by event_id. */
async function paced(url: string, bodies: string[], perSecond: number) {
  const sentAt = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < bodies.length; index++) {
    const due = started + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = bodies[index]!;
    const id = eventIdOf(body);
    if (!sentAt.has(id)) sentAt.set(id, performance.now());
    inFlight.push(
      new Promise<void>((resolve) => {
        const request = http.request(url, { method: "POST", agent, headers: deliveryHeaders(body, settings) }, (r) => {
          r.resume();
          r.on("end", () => resolve());
        });
        request.on("error", () => resolve());
        request.end(body);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return sentAt;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};

type Row = {
  database: string;
  endpoints: number;
  intake: number;
  deliveriesPerSecond: number | null;
  /** The paced run's rate (events/s) and its receive → delivered percentiles, over every delivery. */
  pacedRate: number | null;
  p50: number | null;
  p99: number | null;
  signatureFailures: number;
  missing: number;
  idMismatches: number;
};

/** One console under test: its own fresh database, and `endpointCount` receivers declared as its endpoints. */
type Setup = { endpoints: number; receivers: Receiver[]; url: string; bodies: string[]; sent: Set<string> };

/** Starts the consoles with 0, 1 and 3 endpoints side by side, each on its own fresh database, and runs `body`. */
async function withSetups<T>(kind: string, temp: string, body: (setups: Setup[]) => Promise<T>): Promise<T> {
  const setups: Setup[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const start = async (index: number): Promise<T> => {
    if (index === ENDPOINT_COUNTS.length) return body(setups);
    const endpointCount = ENDPOINT_COUNTS[index]!;
    const receivers = await Promise.all(Array.from({ length: endpointCount }, () => startReceiver()));
    const database = await freshDatabase(kind, temp);
    cleanups.push(async () => {
      for (const receiver of receivers) await receiver.close();
      await database.drop();
    });
    const forwardEnv: Record<string, string> = receivers.length
      ? { HUBBY_FORWARD_ENDPOINTS: JSON.stringify(receivers.map((r) => ({ url: r.url, secret: r.secret }))) }
      : {};
    return withConsole({ ...database.env, ...forwardEnv }, (url) => {
      setups.push({ endpoints: endpointCount, receivers, url, bodies: load(), sent: new Set() });
      return start(index + 1);
    });
  };
  try {
    return await start(0);
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

/**
 * The three consoles take the same load in ROUNDS slices, in an order that turns each round (0-1-3, 3-1-0, …), so
 * that a shared machine's changing load slows each alike. A console with endpoints is driven while it forwards, and
 * the round waits until it has delivered everything before the next console's slice, so one console's forwarding
 * never runs during another's measurement.
 */
async function run(kind: string, temp: string): Promise<Row[]> {
  return withSetups(kind, temp, async (setups) => {
    const database = kind === "pglite" ? "PGlite" : "PostgreSQL";
    const intakeSeconds = new Map<Setup, number>();
    const deliverySeconds = new Map<Setup, number>();
    const complete = new Map<Setup, boolean>();
    for (const setup of setups) {
      const warmUp = setup.bodies.slice(0, 200);
      await drive(setup.url, warmUp);
      for (const id of warmUp.map(eventIdOf)) setup.sent.add(id);
      await allDelivered(setup.receivers, setup.sent);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? setups : [...setups].reverse();
      for (const setup of order) {
        const measured = setup.bodies.slice(200);
        const size = Math.ceil(measured.length / ROUNDS);
        const slice = measured.slice(round * size, (round + 1) * size);
        const started = performance.now();
        const { seconds } = await drive(setup.url, slice);
        intakeSeconds.set(setup, (intakeSeconds.get(setup) ?? 0) + seconds);
        const ids = new Set(slice.map(eventIdOf));
        for (const id of ids) setup.sent.add(id);
        if (setup.endpoints === 0) continue;
        complete.set(setup, (await allDelivered(setup.receivers, ids)) && (complete.get(setup) ?? true));
        const lastArrival = Math.max(
          ...setup.receivers.flatMap((r) => [...ids].flatMap((id) => r.firstArrival.get(id) ?? [])),
        );
        deliverySeconds.set(setup, (deliverySeconds.get(setup) ?? 0) + (lastArrival - started) / 1000);
      }
    }
    const rows = setups.map((setup): Row => {
      const measuredCount = setup.bodies.length - 200;
      const measuredIds = new Set(setup.bodies.slice(200).map(eventIdOf));
      const intake = measuredCount / intakeSeconds.get(setup)!;
      console.log(`[bench] ${database}, ${setup.endpoints} endpoint(s): intake ${intake.toFixed(0)} events/s`);
      return {
        database,
        endpoints: setup.endpoints,
        intake,
        deliveriesPerSecond: setup.endpoints
          ? (measuredIds.size * setup.endpoints) / deliverySeconds.get(setup)!
          : null,
        pacedRate: null,
        p50: null,
        p99: null,
        signatureFailures: 0,
        missing: 0,
        idMismatches: 0,
      };
    });
    // Receive → delivered at half the intake's capacity without forwarding, one console at a time.
    const pacedRate = rows[0]!.intake / 2;
    for (const [index, setup] of setups.entries()) {
      if (setup.endpoints === 0) continue;
      const row = rows[index]!;
      if (complete.get(setup)) {
        const sentAt = await paced(setup.url, load().slice(0, PACED_EVENTS), pacedRate);
        await allDelivered(setup.receivers, new Set(sentAt.keys()));
        const latencies = setup.receivers.flatMap((r) =>
          [...sentAt].flatMap(([id, at]) => (r.firstArrival.has(id) ? [r.firstArrival.get(id)! - at] : [])),
        );
        row.pacedRate = pacedRate;
        row.p50 = percentile(latencies, 0.5);
        row.p99 = percentile(latencies, 0.99);
        console.log(
          `[bench]   ${setup.endpoints} endpoint(s) paced at ${pacedRate.toFixed(0)} events/s: receive → delivered p50 ${row.p50.toFixed(0)} ms, p99 ${row.p99.toFixed(0)} ms`,
        );
        for (const id of sentAt.keys()) setup.sent.add(id);
      }
      row.signatureFailures = setup.receivers.reduce((sum, r) => sum + r.signatureFailures, 0);
      row.idMismatches = setup.receivers.reduce((sum, r) => sum + r.sameIdMismatch, 0);
      row.missing = setup.receivers.reduce(
        (sum, r) => sum + [...setup.sent].filter((id) => !r.firstArrival.has(id)).length,
        0,
      );
    }
    return rows;
  });
}

const verdict = (passed: boolean) => (passed ? "PASS" : "FAIL");
const fixed = (value: number | null, digits = 0) => (value === null ? "—" : value.toFixed(digits));

/** Prints one database's figures with PASS/FAIL beside each target; answers whether every target was met. */
function report(rows: Row[]): boolean {
  const none = rows.find((row) => row.endpoints === 0)!;
  const one = rows.find((row) => row.endpoints === 1)!;
  const three = rows.find((row) => row.endpoints === 3)!;
  const ratio = three.intake / none.intake;
  const forwarded = [one, three];
  const signatureFailures = forwarded.reduce((sum, row) => sum + row.signatureFailures, 0);
  const missing = forwarded.reduce((sum, row) => sum + row.missing, 0);
  const idChanges = forwarded.reduce((sum, row) => sum + row.idMismatches, 0);
  const p99Met = forwarded.every((row) => row.p99 !== null && row.p99 <= 2000);
  const pad = (label: string) => `  ${label}`.padEnd(58);
  console.log(`\n${none.database}`);
  console.log(`${pad("intake, no endpoint")}${fixed(none.intake)} events/s`);
  console.log(
    `${pad("intake, 1 endpoint")}${fixed(one.intake)} events/s (${((one.intake / none.intake) * 100).toFixed(0)}% of none)`,
  );
  console.log(
    `${pad("intake, 3 endpoints")}${fixed(three.intake)} events/s (${(ratio * 100).toFixed(0)}% of none)   ${verdict(ratio >= 0.8)} (≥ 80%)`,
  );
  console.log(
    `${pad("deliveries/s, 1 / 3 endpoints")}${fixed(one.deliveriesPerSecond)} / ${fixed(three.deliveriesPerSecond)}`,
  );
  for (const row of forwarded) {
    console.log(
      `${pad(`receive → delivered, ${row.endpoints} endpoint(s), at ${fixed(row.pacedRate)} events/s`)}p50 ${fixed(row.p50)} ms, p99 ${fixed(row.p99)} ms   ${verdict(row.p99 !== null && row.p99 <= 2000)} (p99 ≤ 2000 ms)`,
    );
  }
  console.log(`${pad("signature failures")}${signatureFailures}   ${verdict(signatureFailures === 0)} (0)`);
  console.log(
    `${pad("webhook-id changed between two deliveries of an event")}${idChanges}   ${verdict(idChanges === 0)} (0)`,
  );
  console.log(
    `${pad("every event delivered to every subscribed endpoint")}${missing === 0 ? "yes" : `no (${missing} missing)`}   ${verdict(missing === 0)}`,
  );
  return ratio >= 0.8 && p99Met && signatureFailures === 0 && missing === 0 && idChanges === 0;
}

async function main() {
  ensureBuild();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "hubby-bench-forwarding-"));
  const results: Row[][] = [];
  try {
    for (const kind of DATABASES) {
      const started = performance.now();
      const rows = await run(kind, temp);
      results.push(rows);
      console.log(`[bench] ${rows[0]!.database} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  console.log(
    `\nForwarding: the intake load of bench:webhooks (${load().length} deliveries per run, 5% duplicates, concurrency ${process.env.BENCH_CONCURRENCY ?? 16}); latency paced at half the intake's capacity without forwarding, ${PACED_EVENTS} events. ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}.`,
  );
  let met = true;
  for (const rows of results) met = report(rows) && met;
  if (!PG_ADMIN_URL)
    console.log("\n(PostgreSQL not run: give BENCH_DATABASE_URL=postgres://user@host:5432/db to add it.)");
  if (!met) {
    console.log("\nFAILED: a target was missed.");
    process.exit(1);
  }
  console.log("\nEvery target met.");
}

// bench/forwarding-crash.ts imports the receiver from here.
if (path.basename(process.argv[1] ?? "") === "forwarding.ts") {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
