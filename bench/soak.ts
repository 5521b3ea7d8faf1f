import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import type http from "node:http";
import { parseArgs } from "node:util";
import pg from "pg";
import { dedupeKeyFor } from "../lib/webhooks/envelope";
import { handledEvents, sampleEvent, deliveryHeaders } from "../lib/webhooks/samples";
import { startSandbox, type Sandbox } from "../lib/hubby-sandbox/sandbox";
import { startForwardReceiver } from "../tests/support/forward-receiver";
import {
  backend,
  consoleEnvironment,
  createBenchDatabase,
  ensureBuild,
  freePort,
  groupRss,
  launchChromium,
  loadAverage,
  printTable,
  signIn,
  spawnNpmStart,
  startRoundRobinProxy,
  stopConsole,
  waitReady,
} from "./support";

/**
 * `npm run bench:soak [-- --minutes N]` (issue 24 part 5): two consoles started with `npm start` (production build)
 * on one fresh PostgreSQL database, behind the round-robin proxy of bench/support.ts, under mixed load for N
 * minutes (10):
 * - signed Hubby webhooks from the bench (one in RESEND_EVERY sent again with the same bytes and event id), and
 *   the sandbox's own deliveries (its demo travelers' history, new arrivals, the campaign's bookings, its own
 *   duplicates), all through the proxy;
 * - a signed-in admin's searches and page views: /api/search, the travelers list and search, a traveler page, the
 *   webhooks inbox, the overview;
 * - a campaign: a CSV uploaded through POST /api/campaigns/upload, then run from its page (a browser presses Run);
 * - forwarding: an endpoint added on the Forwarding screen (a browser) pointing at a receiver here that verifies
 *   every delivery's signature with standardwebhooks.
 * The Hubby sandbox runs in this process, as one Hubby for both consoles.
 *
 * Prints requests by kind, errors (non-2xx or no answer: target 0), duplicate webhooks (stored rows beyond the
 * unique events acknowledged: target 0), duplicate bookings (bookings at the sandbox sharing one booking_id, the
 * console's idempotency reference hpc-…: target 0), forwarding (events delivered, signature verified, vs events
 * stored: target all), webhooks stored as failed (the handler's projection failed: target 0), and each instance's
 * RSS (its whole npm start process group, sampled every 5 s): its floor (the lowest sample, what is left after the
 * garbage collector's runs) over the 2 minutes after the first minute and over the last 2 minutes (growth target
 * < 100 MB), with the medians of those windows beside it. Exits 1 when a target fails. Everything it started (consoles, sandbox, receiver,
 * database) is cleaned up on failure and on Ctrl-C too.
 *
 * Environment: BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_BUILD=1 to rebuild.
 */

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    "campaign-rows": { type: "string", default: "1000" },
  },
});
const MINUTES = Number(values.minutes);
const CAMPAIGN_ROWS = Number(values["campaign-rows"]);
if (!(MINUTES > 0) || !Number.isInteger(CAMPAIGN_ROWS) || CAMPAIGN_ROWS < 1) {
  console.error("usage: npm run bench:soak -- [--minutes N (> 0)] [--campaign-rows N (≥ 1)]");
  process.exit(2);
}
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const WARMUP_MS = Math.min(60_000, (MINUTES * 60_000) / 2);
/** Load shape: paced loops, so the soak measures a steady mixed load rather than the machine's saturation. */
const WEBHOOK_WORKERS = 4;
const WEBHOOK_PAUSE_MS = 100;
const STAFF_WORKERS = 2;
const STAFF_PAUSE_MS = 250;
const RESEND_EVERY = 10;
const FORWARDING_DRAIN_MS = 180_000;
const GROWTH_TARGET_MB = 100;
const RSS_EVERY_MS = 5_000;
const RSS_WINDOW = 6;
/** 2 minutes of samples: the window whose floor is compared (shorter runs: half the samples each). */
const FLOOR_WINDOW = 24;
const MB = 1048576;

const CREDENTIALS = { apiKey: "pk_bench_soak", apiSecret: `sk_bench_soak_${crypto.randomBytes(8).toString("hex")}` };
const WEBHOOK = {
  apiKey: `whk_bench_soak_${crypto.randomBytes(8).toString("hex")}`,
  authHeader: "x-api-key",
  authPrefix: "",
  signingSecret: `whsec_bench_soak_${crypto.randomBytes(8).toString("hex")}`,
  timestampHeader: "x-hubby-timestamp",
};
const ADMIN = { email: "soak-admin@example.test", password: `soak-${crypto.randomBytes(12).toString("hex")}` };
/** The headers intake reads an event id from (lib/webhooks/intake.ts), first found wins. */
const EVENT_ID_HEADERS = ["x-hubby-event-id", "event-id", "x-event-id", "webhook-id"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / MB);
/** Per instance, the lowest of its samples. */
const floors = (samples: number[][]) =>
  samples[0]!.map((_, index) => Math.min(...samples.map((sample) => sample[index]!)));
/** Per instance, the median of its samples. */
const medians = (samples: number[][]) =>
  samples[0]!.map((_, index) => {
    const sorted = samples.map((sample) => sample[index]!).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  });

type Kind = "webhook" | "webhook resend" | "search" | "page" | "campaign upload";
type Tally = { requests: Map<Kind, number>; errors: Map<Kind, number>; samples: string[] };
const tally: Tally = { requests: new Map(), errors: new Map(), samples: [] };

/** One request of the load; a non-2xx answer or none at all is an error of its kind. */
async function send(kind: Kind, url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  tally.requests.set(kind, (tally.requests.get(kind) ?? 0) + 1);
  let status = 0;
  let text = "";
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(30_000) });
    status = response.status;
    text = await response.text();
  } catch (error) {
    text = (error as Error).message;
  }
  if (status < 200 || status >= 300) {
    tally.errors.set(kind, (tally.errors.get(kind) ?? 0) + 1);
    if (tally.samples.length < 8)
      tally.samples.push(`${kind} ${status || "no answer"} ${new URL(url).pathname}: ${text.slice(0, 160)}`);
  }
  return { status, text };
}

/** The key intake deduplicates a delivery on: its event id (headers, then body), else the hash of its bytes. */
function dedupeKeyOf(request: http.IncomingMessage, body: Buffer): string {
  const fromHeader = EVENT_ID_HEADERS.map((name) => request.headers[name]).find((value) => typeof value === "string");
  let fromBody: string | null = null;
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { event_id?: unknown };
    if (typeof parsed.event_id === "string" || typeof parsed.event_id === "number") fromBody = String(parsed.event_id);
  } catch {
    // Not JSON: the hash of the bytes.
  }
  return dedupeKeyFor((fromHeader as string | undefined) ?? fromBody, body);
}

type Instance = { name: string; port: number; child: ChildProcess };

async function main() {
  ensureBuild();
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    while (cleanups.length) {
      await cleanups.pop()!().catch((error: unknown) => console.error("[bench] clean-up:", error));
    }
  };
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.log(`\n[bench] ${signal}: stopping everything the bench started …`);
      void cleanUp().then(() => process.exit(130));
    });
  }

  try {
    const database = await createBenchDatabase(`test_bench_soak_${process.pid}`, PG_ADMIN_URL);
    cleanups.push(() => database.drop());
    console.log(`[bench] database ${database.name}; ${MINUTES} minute(s) of mixed load; load average ${loadAverage()}`);

    // What the proxy acknowledged: every delivery that reached /api/webhooks/hubby and was answered 2xx.
    const acknowledged = new Set<string>();
    let deliveriesAcknowledged = 0;
    const backends = [backend("instance A", await freePort()), backend("instance B", await freePort())];
    const proxy = await startRoundRobinProxy(backends, (request, body, status) => {
      if (request.method !== "POST" || request.url !== "/api/webhooks/hubby" || status < 200 || status >= 300) return;
      deliveriesAcknowledged += 1;
      acknowledged.add(dedupeKeyOf(request, body));
    });
    cleanups.push(() => proxy.close());

    // One Hubby for both consoles, delivering its webhooks through the proxy as it would to a load balancer.
    const sandbox: Sandbox = await startSandbox({
      credentials: CREDENTIALS,
      webhook: { url: `${proxy.url}/api/webhooks/hubby`, ...WEBHOOK },
      travelers: 20,
      arrivals: true,
      deliveriesPaused: true,
    });
    cleanups.push(() => sandbox.close());

    const receiver = await startForwardReceiver();
    cleanups.push(() => receiver.close());

    const env = consoleEnvironment({
      DATABASE_URL: database.url,
      // One session secret and public URL for both: a session signed in on one instance is valid on the other.
      NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"),
      NEXTAUTH_URL: proxy.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      HUBBY_API_BASE_URL: `${sandbox.url}/api`,
      HUBBY_API_KEY: CREDENTIALS.apiKey,
      HUBBY_API_SECRET: CREDENTIALS.apiSecret,
      HUBBY_WEBHOOK_API_KEY: WEBHOOK.apiKey,
      HUBBY_WEBHOOK_SIGNING_SECRET: WEBHOOK.signingSecret,
      // The receiver listens on loopback.
      HUBBY_FORWARD_ALLOW_PRIVATE: "true",
      LOG_LEVEL: "warn",
    });
    const instances: Instance[] = backends.map(({ name, port }) => ({
      name,
      port,
      child: spawnNpmStart(port, env, "inherit"),
    }));
    for (const instance of instances) cleanups.push(() => stopConsole(instance.child));
    console.log(`[bench] npm start × 2 (ports ${instances.map((i) => i.port).join(", ")}) behind ${proxy.url} …`);
    await Promise.all(instances.map(({ name, port, child }) => waitReady(name, port, child)));
    const cookie = await signIn(proxy.url, ADMIN);

    await catalogRead(proxy.url, cookie);
    const endpoint = await setUpInBrowser(proxy.url, cookie, receiver.url);
    receiver.secrets = [endpoint.secret];
    console.log(`[bench] forwarding endpoint ${endpoint.id} → ${receiver.url}`);
    sandbox.resumeDeliveries();

    // ── The load ──
    let loading = true;
    const started = performance.now();
    const loads: Promise<void>[] = [];
    const sent: string[] = [];
    let eventIndex = 0;
    for (let worker = 0; worker < WEBHOOK_WORKERS; worker++) {
      loads.push(
        (async () => {
          while (loading) {
            const index = eventIndex++;
            const resend = index % RESEND_EVERY === RESEND_EVERY - 1 && sent.length > 0;
            const body = resend
              ? sent[crypto.randomInt(sent.length)]!
              : JSON.stringify(
                  sampleEvent(handledEvents[index % handledEvents.length]!, {
                    externalUserId: `soak_${index % 500}`,
                    bookingId: `soak_booking_${index % 1000}`,
                    packageId: `soak_pkg_${index % 1500}`,
                  }),
                );
            if (!resend) sent.push(body);
            await send(resend ? "webhook resend" : "webhook", `${proxy.url}/api/webhooks/hubby`, {
              method: "POST",
              headers: deliveryHeaders(body, WEBHOOK),
              body,
            });
            await sleep(WEBHOOK_PAUSE_MS);
          }
        })(),
      );
    }
    const sandboxTravelers = () => Object.keys(sandbox.world.travelers);
    for (let worker = 0; worker < STAFF_WORKERS; worker++) {
      loads.push(
        (async () => {
          for (let round = worker; loading; round++) {
            const ids = sandboxTravelers();
            const traveler = ids[round % ids.length] ?? `soak_${round % 500}`;
            const prefix = `soak_${round % 50}`;
            const steps: [Kind, string][] = [
              ["search", `/api/search?q=${encodeURIComponent(prefix)}`],
              ["search", `/travelers?q=${encodeURIComponent(prefix)}`],
              ["page", "/travelers"],
              ["page", `/travelers/${encodeURIComponent(traveler)}`],
              ["page", "/webhooks"],
              ["page", "/"],
            ];
            const [kind, path] = steps[round % steps.length]!;
            await send(kind, `${proxy.url}${path}`, { headers: { cookie } });
            await sleep(STAFF_PAUSE_MS);
          }
        })(),
      );
    }
    const campaign = await startCampaign(proxy.url, cookie);
    console.log(`[bench] campaign ${campaign.id}: ${CAMPAIGN_ROWS} rows running`);

    // ── Memory: sampled every 5 s; growth compares the floors of the first 2 minutes after the warm-up and of the
    // last 2, so the garbage collector's sawtooth does not read as growth or as its absence ──
    const rssOf = () => instances.map(({ child }) => groupRss(child.pid!));
    await sleep(Math.max(0, WARMUP_MS - (performance.now() - started)));
    const samples: number[][] = [];
    const endAt = started + MINUTES * 60_000;
    while (!interrupted) {
      samples.push(rssOf());
      if (samples.length === RSS_WINDOW) {
        console.log(
          `[bench] RSS after warm-up: ${medians(samples)
            .map((b) => `${mb(b)} MB`)
            .join(", ")}`,
        );
      }
      if (samples.length % RSS_WINDOW === 0) {
        const elapsed = ((performance.now() - started) / 60_000).toFixed(1);
        const requests = [...tally.requests.values()].reduce((x, y) => x + y, 0);
        const errors = [...tally.errors.values()].reduce((x, y) => x + y, 0);
        const now = samples.at(-1)!;
        console.log(
          `[bench] ${elapsed} min: ${requests} requests, ${errors} errors, RSS ${now.map((b) => `${mb(b)} MB`).join(", ")}, load ${loadAverage()}`,
        );
      }
      if (performance.now() >= endAt) break;
      await sleep(Math.min(RSS_EVERY_MS, endAt - performance.now()));
    }
    // A Node process's RSS is a sawtooth over minutes (one 10-minute run saw an instance's 30 s medians swing 434 →
    // 644 → 490 MB): a leak shows as a rising floor, the memory left after collections, so the floors are compared.
    const window = Math.max(1, Math.min(FLOOR_WINDOW, Math.floor(samples.length / 2)));
    const afterWarmUp = floors(samples.slice(0, window));
    const atEnd = floors(samples.slice(-window));
    const medianAfterWarmUp = medians(samples.slice(0, window));
    const medianAtEnd = medians(samples.slice(-window));
    const peak = instances.map((_, index) => Math.max(...samples.map((sample) => sample[index]!)));
    loading = false;
    await Promise.all(loads);
    const seconds = (performance.now() - started) / 1000;

    // ── Settling: forwarding drains what was stored; nothing new arrives from the bench ──
    const check = new pg.Client({ connectionString: database.url });
    await check.connect();
    cleanups.push(() => check.end());
    const one = async <T>(sql: string, params: unknown[] = []) => (await check.query(sql, params)).rows[0] as T;
    // Hubby's deliveries stop too, so the number of events to forward stops moving.
    sandbox.dispatcher.paused = true;
    const delivered = () =>
      new Set(
        receiver.received
          .filter((r) => r.verifiedWith.some(Boolean) && /^msg_\d+_/.test(r.webhookId))
          .map((r) => r.webhookId),
      );
    const drainUntil = performance.now() + FORWARDING_DRAIN_MS;
    let expected = 0;
    while (performance.now() < drainUntil) {
      ({ n: expected } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookEvent"`));
      if (delivered().size >= expected) break;
      await sleep(1_000);
    }
    const unverified = receiver.received.filter((r) => !r.verifiedWith.some(Boolean)).length;
    const deliveredIds = delivered();
    const redelivered = receiver.received.filter((r) => /^msg_\d+_/.test(r.webhookId)).length - deliveredIds.size;

    // ── Counting ──
    const stored = (await check.query<{ key: string }>(`SELECT "dedupeKey" AS key FROM "WebhookEvent"`)).rows;
    const storedKeys = new Set(stored.map((row) => row.key));
    const extraRows = stored.length - [...storedKeys].filter((key) => acknowledged.has(key)).length;
    const missing = [...acknowledged].filter((key) => !storedKeys.has(key)).length;
    const perReference = new Map<string, number>();
    for (const booking of sandbox.world.bookings) {
      if (!booking.booking_id?.startsWith("hpc-")) continue;
      perReference.set(booking.booking_id, (perReference.get(booking.booking_id) ?? 0) + 1);
    }
    const duplicateBookings = [...perReference.values()].reduce((sum, n) => sum + n - 1, 0);
    const campaignBookings = [...perReference.keys()].filter((reference) =>
      reference.startsWith(`hpc-campaign-${campaign.id}-`),
    ).length;
    const rowStates = (
      await check.query<{ state: string; n: number }>(
        `SELECT state::text, count(*)::int AS n FROM "CampaignRow" WHERE "campaignId" = $1 GROUP BY state ORDER BY state`,
        [campaign.id],
      )
    ).rows;
    // Acknowledged and stored, but the handler's projection failed (the inbox shows them failed, to replay).
    const failedEvents = (
      await check.query<{ error: string; n: number }>(
        `SELECT coalesce(error, '') AS error, count(*)::int AS n FROM "WebhookEvent" WHERE status = 'failed'
         GROUP BY 1 ORDER BY 2 DESC`,
      )
    ).rows;
    const failedCount = failedEvents.reduce((sum, row) => sum + row.n, 0);
    const campaignStatus = (
      await one<{ status: string }>(`SELECT status::text FROM "Campaign" WHERE id = $1`, [campaign.id])
    ).status;

    // ── Report ──
    const errors = [...tally.errors.values()].reduce((a, b) => a + b, 0);
    const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");
    console.log(`\n=== Soak: two npm start instances behind a round-robin proxy, ${(seconds / 60).toFixed(1)} min ===`);
    console.log(`load average at the end: ${loadAverage()}`);
    printTable(
      ["requests by kind", "sent", "errors", "per second"],
      [...tally.requests].map(([kind, n]) => [
        kind,
        String(n),
        String(tally.errors.get(kind) ?? 0),
        (n / seconds).toFixed(1),
      ]),
    );
    console.log(
      `proxy: ${backends.map((b) => `${b.name} ${b.requests}`).join(", ")} requests; ${deliveriesAcknowledged} webhook ` +
        `deliveries acknowledged (bench and sandbox); retries ${proxy.stats.retriedAfterRefusal} refused, ` +
        `${proxy.stats.retriedAfterReset} reset, ${proxy.stats.noBackend} without a backend`,
    );
    console.log(
      `campaign: ${CAMPAIGN_ROWS} rows, ${campaignStatus}; rows ${rowStates.map((r) => `${r.state} ${r.n}`).join(", ")}; ` +
        `${campaignBookings} of its references booked at the sandbox`,
    );
    const checks: [string, string, string, boolean][] = [
      ["errors (non-2xx or no answer)", String(errors), "0", errors === 0],
      [
        "duplicate webhooks stored",
        `${extraRows} extra (${stored.length} rows, ${acknowledged.size} unique events acknowledged)`,
        "0",
        extraRows === 0,
      ],
      ["webhooks acknowledged but not stored", String(missing), "0", missing === 0],
      ["webhooks stored as failed (to replay)", String(failedCount), "0", failedCount === 0],
      [
        "duplicate bookings (one booking_id twice)",
        `${duplicateBookings} (${perReference.size} references)`,
        "0",
        duplicateBookings === 0,
      ],
      [
        "forwarding: events delivered, verified",
        `${deliveredIds.size} of ${expected} (${redelivered} sent again, ${unverified} unverified)`,
        "all",
        deliveredIds.size >= expected && expected > 0 && unverified === 0,
      ],
      ...instances.map((instance, index): [string, string, string, boolean] => {
        const growth = mb(atEnd[index]! - afterWarmUp[index]!);
        return [
          `RSS growth, ${instance.name}`,
          `${growth} MB (floor ${mb(afterWarmUp[index]!)} → ${mb(atEnd[index]!)} MB over ${(window * RSS_EVERY_MS) / 1000} s windows; ` +
            `medians ${mb(medianAfterWarmUp[index]!)} → ${mb(medianAtEnd[index]!)} MB; peak ${mb(peak[index]!)} MB)`,
          `< ${GROWTH_TARGET_MB} MB`,
          growth < GROWTH_TARGET_MB,
        ];
      }),
    ];
    printTable(
      ["check", "measured", "target", "verdict"],
      checks.map(([name, measured, target, pass]) => [name, measured, target, verdict(pass)]),
    );
    for (const sample of tally.samples) console.log(`  error: ${sample}`);
    for (const row of failedEvents.slice(0, 5))
      console.log(`  stored as failed: ${row.n} × ${row.error.slice(0, 160)}`);
    if (checks.some(([, , , pass]) => !pass)) process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

/** The catalog each console reads from Hubby in the background at start; a dry run checks the file against it. */
async function catalogRead(base: string, cookie: string) {
  for (let attempt = 0; attempt < 240; attempt++) {
    const response = await fetch(`${base}/catalog`, { headers: { cookie } });
    const html = await response.text();
    if (response.status === 200 && !html.includes("being read from Hubby")) return;
    await sleep(500);
  }
  throw new Error("the catalog was not read from the sandbox within 2 minutes");
}

/** A browser with the bench's session, for what only the screens do (server actions). */
async function withBrowser<T>(base: string, cookie: string, run: (page: import("playwright-core").Page) => Promise<T>) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: base });
    await context.addCookies(
      cookie.split("; ").map((pair) => {
        const at = pair.indexOf("=");
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
      }),
    );
    return await run(await context.newPage());
  } finally {
    await browser.close();
  }
}

/** Adds the forwarding endpoint on the Forwarding screen, as an admin does; answers its id and signing secret. */
function setUpInBrowser(base: string, cookie: string, url: string) {
  return withBrowser(base, cookie, async (page) => {
    await page.goto("/forwarding");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("URL").fill(url);
    await dialog.getByLabel("Description").fill("Soak receiver");
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("endpoint-secret").textContent({ timeout: 30_000 })) ?? "";
    if (!secret.startsWith("whsec_")) throw new Error("the Forwarding screen showed no signing secret");
    const href = await page.getByRole("link", { name: url }).first().getAttribute("href");
    return { id: href?.split("/").at(-1) ?? "?", secret };
  });
}

/** Uploads the campaign's CSV through the upload route, waits for its dry run, and presses Run on its page. */
async function startCampaign(base: string, cookie: string) {
  const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const tag = crypto.randomBytes(3).toString("hex");
  let csv = "external_user_id,destination,size,package_type,departure_date,locale,custom_branding\n";
  for (let line = 0; line < CAMPAIGN_ROWS; line++) csv += `soak_c_${tag}_${line},GR,1GB,,${inTwoDays},,\n`;
  const form = new FormData();
  form.append("name", `Soak ${tag}`);
  form.append("file", new Blob([csv], { type: "text/csv" }), "soak.csv");
  const { status, text } = await send("campaign upload", `${base}/api/campaigns/upload`, {
    method: "POST",
    headers: { cookie },
    body: form,
  });
  let result: { ok?: boolean; data?: { outcome?: string; campaignId?: string } } = {};
  try {
    result = JSON.parse(text) as typeof result;
  } catch {
    // Reported below with the answer's text.
  }
  const id = result.data?.outcome === "checking" ? result.data.campaignId : undefined;
  if (status !== 200 || !result.ok || !id)
    throw new Error(`the campaign upload answered ${status}: ${text.slice(0, 300)}`);
  await withBrowser(base, cookie, async (page) => {
    await page.goto(`/campaigns/${id}`);
    // As the dialog writes the count (campaign-controls.tsx): "Run 1,000 rows".
    const rows = `${CAMPAIGN_ROWS.toLocaleString("en")} row${CAMPAIGN_ROWS === 1 ? "" : "s"}`;
    await page.getByRole("button", { name: /^Run: issue \d+ bookings? for €/ }).click({ timeout: 180_000 });
    const dialog = page.getByRole("dialog", { name: new RegExp(`^Run ${rows}, about €\\d`) });
    await dialog.getByRole("button", { name: `Run ${rows}`, exact: true }).click();
    await page.getByRole("progressbar", { name: "Campaign progress" }).waitFor({ timeout: 60_000 });
  });
  return { id };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
