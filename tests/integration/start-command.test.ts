import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startCommand, startNodeFlags } from "../../bench/support";

// `npm start` (package.json) is where the console's production command and its Node flags are written; the
// Dockerfile's CMD runs the same command without npm (one process less), and the benches read the flags from
// package.json (bench/support.ts). This keeps the image from drifting from what the benches measure.

const root = path.resolve(__dirname, "../..");

function dockerCommand(): string[] {
  const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
  const cmd = dockerfile
    .split("\n")
    .filter((line) => line.startsWith("CMD "))
    .at(-1);
  return JSON.parse(cmd!.slice("CMD ".length)) as string[];
}

describe("the production start command", () => {
  it("is the same in package.json's start script and the Dockerfile's CMD", () => {
    expect(dockerCommand()).toEqual(startCommand());
  });

  it("gives the benches the flags written in package.json", () => {
    expect(startNodeFlags()).toEqual(["--max-semi-space-size=8"]);
    expect(dockerCommand().slice(1, 1 + startNodeFlags().length)).toEqual(startNodeFlags());
  });
});
