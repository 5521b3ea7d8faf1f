import "server-only";

/**
 * Group commit for background writes: entries added within `flushMs` of each other (or until `maxBatch` of them)
 * are written by one call of `write`, and each `add` settles when its batch is stored. Writes run one at a time;
 * entries added while one runs go in the next. An entry someone waits on (`now`) starts a write at once, with
 * whatever else is queued.
 *
 * The job system's one batcher: the API log's background entries and a campaign's confirmed rows use it. Every
 * batcher made here is flushed by stopJobs, so a graceful shutdown stores what was queued before the database
 * closes. It lives on globalThis with the other job-system state (Next.js may load this module more than once).
 */
export type Batcher<T> = {
  add(entry: T, options?: { now?: boolean }): Promise<void>;
  /** Writes everything queued and waits for writes under way. */
  flush(): Promise<void>;
};

type Pending<T> = { entry: T; done: () => void; failed: (error: unknown) => void };

const globalForBatchers = globalThis as typeof globalThis & { __consoleBatchers?: Map<string, Batcher<never>> };
const batchers = (globalForBatchers.__consoleBatchers ??= new Map());

export function createBatcher<T>(options: {
  flushMs: number;
  maxBatch: number;
  write: (entries: T[]) => Promise<void>;
}): Batcher<T> {
  const entries: Pending<T>[] = [];
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const drain = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!writing && entries.length === 0) return Promise.resolve();
    writing ??= (async () => {
      await null; // never settle synchronously: `writing` must be set before it is cleared
      while (entries.length > 0) {
        const batch = entries.splice(0, options.maxBatch);
        try {
          await options.write(batch.map((pending) => pending.entry));
          for (const pending of batch) pending.done();
        } catch (error) {
          for (const pending of batch) pending.failed(error);
        }
      }
      writing = null;
    })();
    return writing;
  };

  return {
    add(entry, { now = false } = {}) {
      const stored = new Promise<void>((done, failed) => {
        entries.push({ entry, done, failed });
      });
      if (now || entries.length >= options.maxBatch) void drain();
      else timer ??= setTimeout(() => void drain(), options.flushMs).unref();
      return stored;
    },
    async flush() {
      while (entries.length > 0 || writing) await drain();
    },
  };
}

/**
 * One batcher per name for the process (the API log's lives as long as the process); flushed on shutdown. A second
 * call with the same name answers the first one's batcher.
 */
export function namedBatcher<T>(name: string, options: Parameters<typeof createBatcher<T>>[0]): Batcher<T> {
  const existing = batchers.get(name) as Batcher<T> | undefined;
  if (existing) return existing;
  const batcher = createBatcher(options);
  batchers.set(name, batcher as Batcher<never>);
  return batcher;
}

/** Stores whatever every named batcher still holds (stopJobs and scripts/server.ts's shutdown call this). */
export async function flushBatchers(): Promise<void> {
  await Promise.all([...batchers.values()].map((batcher) => batcher.flush()));
}
