/**
 * How scripts/test-e2e.ts splits the journeys into shards that run side by side, each against its own server, and
 * puts their Vitest JSON reports back together for scripts/test-all.ts (docs/decisions/0078-e2e-shards.md).
 */

/**
 * The e2e files in `count` shards of about equal size: largest file first, each to the shard with the fewest bytes
 * so far. A file's size follows its run time closely enough (the journeys that take longest are the longest files),
 * and the split is the same on every run.
 */
export function shardFiles(files: { file: string; size: number }[], count: number): string[][] {
  const shards = Array.from({ length: count }, () => ({ files: [] as string[], size: 0 }));
  const bySize = [...files].sort((a, b) => b.size - a.size || (a.file < b.file ? -1 : 1));
  for (const { file, size } of bySize) {
    const smallest = shards.reduce((least, shard) => (shard.size < least.size ? shard : least));
    smallest.files.push(file);
    smallest.size += size;
  }
  return shards.map((shard) => shard.files.sort()).filter((shard) => shard.length > 0);
}

/** The part of Vitest's JSON report this merge touches; the rest is kept from the first shard's report. */
export type VitestJsonReport = Record<string, unknown> & {
  testResults?: unknown[];
  success?: boolean;
  startTime?: number;
};

/**
 * The shards' reports as one: every `num…` count added, the test results together, the earliest start, and success
 * only when each of the `expected` shards reported and succeeded. Undefined when none reported.
 */
export function mergeReports(reports: VitestJsonReport[], expected: number): VitestJsonReport | undefined {
  if (reports.length === 0) return undefined;
  const merged: VitestJsonReport = { ...reports[0]! };
  for (const key of Object.keys(merged)) {
    if (key.startsWith("num") && typeof merged[key] === "number") {
      merged[key] = reports.reduce((sum, report) => sum + (Number(report[key]) || 0), 0);
    }
  }
  merged.startTime = Math.min(...reports.map((report) => Number(report.startTime) || Infinity));
  merged.success = reports.length === expected && reports.every((report) => report.success === true);
  merged.testResults = reports.flatMap((report) => report.testResults ?? []);
  return merged;
}
