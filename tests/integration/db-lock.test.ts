import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDirectoryLock, DatabaseLockedError } from "@/lib/db";

const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");

/** A second process that tries to open the same PGlite directory through lib/db.ts. */
function openFromAnotherProcess(dataDir: string) {
  return spawnSync(tsx, ["--conditions=react-server", path.join("tests", "support", "open-database.ts")], {
    cwd: process.cwd(),
    env: { ...process.env, PGLITE_DATA_DIR: dataDir, DATABASE_URL: "" },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("PGlite directory lock", () => {
  it("refuses a second process with a clear message while the first holds the directory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
    const dataDir = path.join(dir, "pglite");
    const release = acquireDirectoryLock(dataDir);
    const result = openFromAnotherProcess(dataDir);
    expect(result.status).toBe(3);
    expect(result.stdout).toContain("DatabaseLockedError");
    expect(result.stdout).toContain(`pid ${process.pid}`);
    expect(fs.existsSync(path.join(dataDir, "PG_VERSION"))).toBe(false);
    release();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("takes over the lock of a process that is gone (e.g. after kill -9)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
    const dataDir = path.join(dir, "pglite");
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    fs.writeFileSync(`${dataDir}.lock`, String(child.pid));
    expect(() => acquireDirectoryLock(dataDir)).toThrow(DatabaseLockedError);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const release = acquireDirectoryLock(dataDir);
    expect(fs.readFileSync(`${dataDir}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
