import { describe, expect, it } from "vitest";
import { mergeReports, shardFiles } from "../../scripts/e2e-shards";

describe("e2e shards (scripts/e2e-shards.ts)", () => {
  const files = [
    { file: "tests/e2e/a.test.ts", size: 9 },
    { file: "tests/e2e/b.test.ts", size: 7 },
    { file: "tests/e2e/c.test.ts", size: 5 },
    { file: "tests/e2e/d.test.ts", size: 4 },
    { file: "tests/e2e/e.test.ts", size: 3 },
  ];

  it("puts every file in exactly one shard, the shards' sizes as even as largest-first allows", () => {
    const shards = shardFiles(files, 2);
    expect(shards.flat().sort()).toEqual(files.map((entry) => entry.file));
    const size = (shard: string[]) => shard.reduce((sum, file) => sum + files.find((f) => f.file === file)!.size, 0);
    // Largest first, each to the lighter shard: 9 + 4 and 7 + 5 + 3.
    expect(shards.map(size).sort()).toEqual([13, 15]);
    expect(shardFiles([...files].reverse(), 2)).toEqual(shards);
  });

  it("leaves no shard empty when there are fewer files than shards", () => {
    expect(shardFiles(files.slice(0, 1), 3)).toEqual([["tests/e2e/a.test.ts"]]);
  });

  it("adds the shards' counts, keeps every test result, and succeeds only when every shard reported success", () => {
    const one = { numPassedTests: 3, numFailedTests: 0, startTime: 20, success: true, testResults: [{ name: "a" }] };
    const two = { numPassedTests: 2, numFailedTests: 1, startTime: 10, success: false, testResults: [{ name: "b" }] };
    expect(mergeReports([one, two], 2)).toMatchObject({
      numPassedTests: 5,
      numFailedTests: 1,
      startTime: 10,
      success: false,
      testResults: [{ name: "a" }, { name: "b" }],
    });
    expect(mergeReports([one, { ...two, numFailedTests: 0, success: true }], 2)?.success).toBe(true);
    // A shard that wrote no report (its server never started) cannot count as a success.
    expect(mergeReports([one], 2)?.success).toBe(false);
    expect(mergeReports([], 2)).toBeUndefined();
  });
});
