import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { handledEvents } from "../lib/webhooks/envelope";
import { deliveryHeaders, sampleEvent } from "../lib/webhooks/samples";
import { startReceiver, type Receiver } from "./forwarding";
import { ensureBuild, freePort, spawnConsole, stopConsole, waitForHealth } from "./support";
import { KEY, SECRET, settings } from "./webhooks";

/**
 * `npm run bench:forwarding:crash`: the console (production build, PGlite, as bench/webhooks-crash.ts starts it)
 * forwards to two local receivers (one takes every type, one two types) while events arrive, and is killed with
 * SIGKILL and restarted CRASH_ROUNDS times (default 5). After a last start, every acknowledged event must reach every
 * endpoint subscribed to its type at least once, and a duplicate must carry the webhook-id of the first delivery.
 * A message held by a killed instance waits until its claim runs out (2 min) and the minute sweep takes it, so the
 * last wait lasts up to CRASH_WAIT_S (300). CRASH_CONCURRENCY (8).
 */

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 5);
const CONCURRENCY = Number(process.env.CRASH_CONCURRENCY ?? 8);
const WAIT_MS = Number(process.env.CRASH_WAIT_S ?? 300) * 1000;
const SUBSET = ["package.activated", "esim.installed"];

function start(port: number, dataDir: string, endpoints: { url: string; secret: string; events?: string[] }[]) {
  return spawnConsole(
    port,
    {
      PGLITE_DATA_DIR: dataDir,
      DATABASE_URL: "",
      HUBBY_WEBHOOK_API_KEY: KEY,
      HUBBY_WEBHOOK_SIGNING_SECRET: SECRET,
      HUBBY_FORWARD_ALLOW_PRIVATE: "true",
      HUBBY_FORWARD_ENDPOINTS: JSON.stringify(endpoints),
      LOG_LEVEL: "warn",
    },
    "ignore",
  );
}

/** Sends events until `running()` turns false; adds each acknowledged (2xx) one to `acknowledged` with its type. */
async function send(url: string, round: number, running: () => boolean, acknowledged: Map<string, string>) {
  let sent = 0;
  let cut = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      let index = 0;
      while (running()) {
        const event = handledEvents[(worker + index++) % handledEvents.length]!;
        const body = JSON.stringify(
          sampleEvent(event, {
            externalUserId: `crash_${worker}`,
            bookingId: `b_${round}`,
            packageId: `p_${worker}_${index % 5}`,
          }),
        );
        sent += 1;
        try {
          const response = await fetch(`${url}/api/webhooks/hubby`, {
            method: "POST",
            headers: deliveryHeaders(body, settings),
            body,
          });
          if (response.ok) acknowledged.set((JSON.parse(body) as { event_id: string }).event_id, event);
          else cut += 1;
        } catch {
          cut += 1; // connection cut by the kill: Hubby would send it again
        }
      }
    }),
  );
  return { sent, cut };
}

/** Acknowledged events an endpoint subscribed to that it has not received. */
function missingAt(receiver: Receiver, acknowledged: Map<string, string>, types: string[] | null) {
  return [...acknowledged].filter(([id, type]) => (!types || types.includes(type)) && !receiver.firstArrival.has(id));
}

async function main() {
  ensureBuild();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "hubby-forward-crash-"));
  const dataDir = path.join(temp, "pglite");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const everything = await startReceiver();
  const subset = await startReceiver();
  const endpoints = [
    { url: everything.url, secret: everything.secret },
    { url: subset.url, secret: subset.secret, events: SUBSET },
  ];
  const acknowledged = new Map<string, string>();
  let sent = 0;
  let cut = 0;
  let child: ChildProcess | null = null;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      child = start(port, dataDir, endpoints);
      await waitForHealth(url, child);
      let running = true;
      const killAfter = 1_500 + Math.random() * 2_500;
      const victim = child;
      const killer = new Promise<void>((resolve) =>
        setTimeout(() => {
          running = false;
          process.kill(-victim.pid!, "SIGKILL");
          resolve();
        }, killAfter),
      );
      const counts = await send(url, round, () => running, acknowledged);
      sent += counts.sent;
      cut += counts.cut;
      await killer;
      // A child killed by a signal keeps exitCode null: signalCode says it is gone.
      if (victim.exitCode === null && victim.signalCode === null) {
        await new Promise((resolve) => victim.once("exit", resolve));
      }
      console.log(
        `round ${round}: killed after ${Math.round(killAfter)} ms; ${acknowledged.size} acknowledged, ` +
          `${everything.firstArrival.size} + ${subset.firstArrival.size} delivered so far`,
      );
    }

    // The last start: it forwards what waited, and what the killed instances held once their claims run out.
    child = start(port, dataDir, endpoints);
    await waitForHealth(url, child);
    const deadline = performance.now() + WAIT_MS;
    const startedWaiting = performance.now();
    while (
      performance.now() < deadline &&
      (missingAt(everything, acknowledged, null).length > 0 || missingAt(subset, acknowledged, SUBSET).length > 0)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const waited = (performance.now() - startedWaiting) / 1000;

    console.log(
      `\nForwarding crash test: ${ROUNDS} SIGKILLs while forwarding; ${sent} sent, ${acknowledged.size} acknowledged (2xx), ${cut} cut or refused; the last start delivered the rest in ${waited.toFixed(0)} s`,
    );
    let failed = false;
    for (const [label, receiver, types] of [
      ["endpoint 1 (every type)", everything, null],
      [`endpoint 2 (${SUBSET.join(", ")})`, subset, SUBSET],
    ] as const) {
      const subscribed = [...acknowledged.values()].filter((type) => !types || types.includes(type)).length;
      const missing = missingAt(receiver, acknowledged, types as string[] | null).length;
      const duplicates = receiver.requests - receiver.firstArrival.size;
      console.log(
        `${label}: acknowledged ${subscribed}, delivered unique ${receiver.firstArrival.size}, duplicates ${duplicates} ` +
          `(webhook-id changed: ${receiver.sameIdMismatch}), bad signatures ${receiver.signatureFailures}, missing ${missing}`,
      );
      if (missing > 0 || receiver.sameIdMismatch > 0 || receiver.signatureFailures > 0) failed = true;
    }
    if (failed) {
      console.log("FAILED");
      process.exitCode = 1;
    } else {
      console.log("OK: every acknowledged event reached every subscribed endpoint; duplicates kept their webhook-id.");
    }
  } finally {
    if (child) await stopConsole(child);
    await everything.close();
    await subset.close();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
