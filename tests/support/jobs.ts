import { randomBytes } from "node:crypto";

/** A pg-boss schema of its own for one test file, so files running in parallel on one PostgreSQL never meet. */
export function testJobSchema(): string {
  return `jobs_test_${randomBytes(5).toString("hex")}`;
}

/** Polls `check` until it answers something other than undefined; fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
