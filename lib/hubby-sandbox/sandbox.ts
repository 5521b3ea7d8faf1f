import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SimClock } from "./clock";
import { FaultInjector } from "./faults";
import { createRandom, type Random } from "./random";
import { seedWorld } from "./seed";
import { createSandboxHandler } from "./handler";
import { advance, type SandboxEvent } from "./simulation";
import type { SandboxShapes } from "./reply-shapes";
import { WebhookDispatcher, type Delivery, type WebhookTarget } from "./webhook-dispatcher";
import { emptyWorld, type World } from "./world";

/**
 * The built-in Hubby sandbox: a real HTTP server on its own port that verifies requests like Hubby, keeps a
 * stateful world of travelers, and sends webhooks. Used by `npm run dev` (when HUBBY_API_BASE_URL is unset), by
 * `npm run sandbox`, and by the contract tests. Never imported by app code.
 */

export type SandboxOptions = {
  port?: number;
  host?: string;
  credentials: { apiKey: string; apiSecret: string };
  webhook: WebhookTarget;
  /** Where state is saved between runs; unset keeps it in memory (tests). */
  dataDir?: string;
  /** Simulated milliseconds per real millisecond; 0 stops the clock (tests step it). */
  clockSpeed?: number;
  seed?: number;
  /** Demo travelers created on first start, with weeks of history. */
  travelers?: number;
  /** "documented": every API reply carries only the fields Hubby documents (lib/hubby-sandbox/reply-shapes.ts). Default "full". */
  shapes?: SandboxShapes;
  /** Also accept signatures over the path without the `/api` mount prefix (reference §2). */
  lenientSignedPath?: boolean;
  timestampToleranceMs?: number;
  /** Hold webhook deliveries until resumeDeliveries() (run-server waits for the console to answer). */
  deliveriesPaused?: boolean;
  duplicateRate?: number;
  /** Keep generating new bookings while running, so a demo never goes quiet. */
  arrivals?: boolean;
  tickMs?: number;
  log?: (message: string) => void;
};

type SavedState = { world: World; pending: Delivery[]; simNow: number };

export class Sandbox {
  readonly clock: SimClock;
  readonly random: Random;
  readonly faults = new FaultInjector();
  readonly dispatcher: WebhookDispatcher;
  world: World;
  private server?: http.Server;
  private timer?: NodeJS.Timeout;
  private dirty = false;
  private lastSave = 0;
  url = "";
  /** The last requests received (method, path as sent, client port), for tests and the status page. */
  readonly requests: { method: string; path: string; remotePort: number }[] = [];

  constructor(readonly options: SandboxOptions) {
    const seed = options.seed ?? 20261123;
    const saved = options.dataDir ? loadState(options.dataDir) : undefined;
    const start = saved ? Math.max(saved.simNow, Date.now()) : Date.now();
    this.clock = new SimClock(options.clockSpeed ?? 1, start);
    this.random = createRandom(saved ? seed ^ saved.world.counter : seed);
    this.dispatcher = new WebhookDispatcher(options.webhook, this.clock, this.random, {
      duplicateRate: options.duplicateRate ?? 0.03,
      paused: options.deliveriesPaused,
      onChange: () => (this.dirty = true),
    });
    if (saved) {
      this.world = saved.world;
      this.dispatcher.pending = saved.pending;
    } else {
      this.world = emptyWorld(seed, start);
      const count = options.travelers ?? 0;
      if (count > 0) {
        seedWorld(this.world, this.random, { travelers: count, now: start, emit: (event) => this.emit(event) });
        options.log?.(
          `seeded ${count} demo travelers with ${this.dispatcher.pending.length} webhook events of history`,
        );
      }
      this.dirty = true;
    }
  }

  recordRequest(request: { method: string; path: string; remotePort: number }) {
    this.requests.push(request);
    if (this.requests.length > 1_000) this.requests.splice(0, this.requests.length - 1_000);
  }

  emit(event: SandboxEvent) {
    this.dispatcher.enqueue(event);
  }

  /** Moves the world to the clock's now and sends what is due. */
  tick() {
    advance(this.world, this.random, this.clock.now(), (event) => this.emit(event), {
      arrivals: this.options.arrivals ?? false,
    });
    this.dirty = true;
    return this.dispatcher.pump();
  }

  /** Test helper: step simulated time, then deliver everything that fell due. */
  async advanceBy(ms: number) {
    this.clock.step(ms);
    this.tick();
    await this.dispatcher.drain();
  }

  resumeDeliveries() {
    this.dispatcher.paused = false;
  }

  async listen(): Promise<string> {
    this.server = http.createServer(createSandboxHandler(this));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://${this.options.host ?? "127.0.0.1"}:${address.port}`;
    const tickMs = this.options.tickMs ?? 1_000;
    if (tickMs > 0) {
      this.timer = setInterval(() => {
        try {
          this.tick();
          if (this.dirty && Date.now() - this.lastSave > 5_000) this.save();
        } catch (error) {
          this.options.log?.(`tick failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }, tickMs);
      this.timer.unref();
    }
    return this.url;
  }

  save() {
    if (!this.options.dataDir) return;
    const state: SavedState = { world: this.world, pending: this.dispatcher.pending, simNow: this.clock.now() };
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    const file = path.join(this.options.dataDir, "state.json");
    // Write then rename, so a crash mid-write never leaves a truncated state file.
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
    fs.renameSync(`${file}.tmp`, file);
    this.dirty = false;
    this.lastSave = Date.now();
  }

  async close() {
    if (this.timer) clearInterval(this.timer);
    this.save();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }
}

function loadState(dataDir: string): SavedState | undefined {
  const file = path.join(dataDir, "state.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as SavedState;
    if (state.world?.version !== 1) return undefined;
    return state;
  } catch {
    // A damaged file is kept aside and the sandbox starts fresh rather than refusing to start.
    fs.renameSync(file, `${file}.damaged-${Date.now()}`);
    return undefined;
  }
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const sandbox = new Sandbox(options);
  await sandbox.listen();
  return sandbox;
}
