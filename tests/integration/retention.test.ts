import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import S3rver from "s3rver";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runRetentionNowAction, saveRetentionSettingsAction } from "@/app/(console)/retention/actions";
import { db, getDatabase } from "@/lib/db";
import { FORBIDDEN_MESSAGE } from "@/lib/errors";
import { startJobs, stopJobs } from "@/lib/jobs/jobs";
import { archiveStore, type ArchiveStore } from "@/lib/retention/archive-store";
import { writeWebhookMonthArchive } from "@/lib/retention/archive";
import { runRetentionJob } from "@/lib/retention/jobs";
import { listWebhookMonths } from "@/lib/retention/months";
import { ensureWebhookMonths } from "@/lib/webhooks/partitions";
import { retentionSettings, saveRetentionSettings } from "@/lib/retention/settings";
import { form, makeStaff, signInAs } from "../support/factories";
import { testJobSchema } from "../support/jobs";

// Retention (lib/retention/): an expired month of webhook events is archived as gzipped NDJSON, the archive read back
// and counted, and only then the month dropped; a failed or wrong archive leaves the month in place; the API log and
// the audit log are trimmed to their settings, the audit log never below its floor. The clock is injected.

const NOW = new Date("2026-12-05T10:00:00Z");
const DAY = 86_400_000;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "retention-test-"));
const jobSchema = testJobSchema();

beforeAll(() => startJobs({ schema: jobSchema, schedules: false }));
afterAll(async () => {
  await stopJobs(1_000);
  fs.rmSync(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await db().webhookEvent.deleteMany();
  await db().retentionArchive.deleteMany();
  await db().consoleSetting.deleteMany({ where: { key: "retention.settings" } });
});

let serial = 0;
/** One stored event received at `receivedAt`; `bytes` gives it exact bytes that are not UTF-8 text. */
async function event(receivedAt: string, options: { bytes?: Buffer; forwarded?: boolean } = {}) {
  const tag = `${++serial}-${Math.random().toString(36).slice(2, 8)}`;
  const body = JSON.stringify({ event: "package.activated", data: { external_user_id: `cust_${tag}`, n: serial } });
  const created = await db().webhookEvent.create({
    data: {
      receivedAt: new Date(receivedAt),
      eventType: "package.activated",
      dedupeKey: `retention-${tag}`,
      headers: { "content-type": "application/json" },
      rawBody: body,
      status: "processed",
      externalUserId: `cust_${tag}`,
    },
  });
  if (options.bytes) {
    await getDatabase().sql.query(`UPDATE "WebhookEvent" SET "rawBytes" = decode($1, 'hex') WHERE id = $2`, [
      options.bytes.toString("hex"),
      String(created.id),
    ]);
  }
  if (options.forwarded) {
    const endpoint = await db().forwardEndpoint.create({
      data: { url: `https://partner.example/${tag}`, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
    });
    await db().forwardMessage.create({
      data: {
        endpointId: endpoint.id,
        eventId: created.id,
        eventReceivedAt: created.receivedAt,
        webhookId: `msg_${created.id}`,
        eventType: "package.activated",
        receivedAt: created.receivedAt,
      },
    });
  }
  return created;
}

const monthsStored = async () =>
  (await listWebhookMonths()).map((month) => [month.monthStart.toISOString().slice(0, 7), month.rows]);

/** An old month (October 2025: three events, one with exact bytes, one forwarded) and two newer ones. */
async function storeThreeMonths() {
  const bytes = Buffer.concat([Buffer.from('{"event":"x"}', "utf8"), Buffer.from([0xff, 0x00, 0xfe])]);
  const october = [
    await event("2025-10-01T00:00:00.000Z", { bytes }),
    await event("2025-10-15T12:00:00.000Z", { forwarded: true }),
    await event("2025-10-31T23:59:59.999Z"),
  ];
  await event("2025-11-01T00:00:00.000Z");
  await event("2026-12-01T08:00:00.000Z");
  return { october, bytes };
}

function readNdjson(file: Buffer): Record<string, unknown>[] {
  const text = gunzipSync(file).toString("utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Wraps a store so that what it reads back is cut short (a lost part of an upload, a truncated file). */
function truncatingStore(inner: ArchiveStore): ArchiveStore {
  return {
    ...inner,
    async read(name) {
      const stream = await inner.read(name);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const whole = Buffer.concat(chunks);
      const { Readable } = await import("node:stream");
      return Readable.from([whole.subarray(0, whole.length - 20)]);
    },
  };
}

async function lastAudit(action: string) {
  return db().auditEntry.findFirst({ where: { action }, orderBy: { id: "desc" } });
}

describe("webhook retention", () => {
  it("archives an expired month (the gzipped NDJSON read back equals its rows), then drops it; newer months stay", async () => {
    const { october, bytes } = await storeThreeMonths();
    const directory = path.join(scratch, "archive-ok");
    const store = archiveStore({ kind: "directory", directory });
    expect(await monthsStored()).toEqual([
      ["2025-10", 3],
      ["2025-11", 1],
      ["2026-12", 1],
    ]);

    const outcome = await runRetentionJob("webhooks", "staff", { now: NOW, store });
    expect(outcome.ok).toBe(true);
    expect(outcome.details).toMatchObject({
      keepMonths: 13,
      rowsDropped: 3,
      months: [{ month: "2025-10", name: "webhooks-2025-10.ndjson.gz", rows: 3, step: "archived" }],
      failure: null,
    });

    const lines = readNdjson(fs.readFileSync(path.join(directory, "webhooks-2025-10.ndjson.gz")));
    expect(lines.map((line) => String(line.id))).toEqual(october.map((row) => String(row.id)));
    for (const [index, row] of october.entries()) {
      const line = lines[index]!;
      expect(line.rawBody).toBe(row.rawBody);
      expect(line.dedupeKey).toBe(row.dedupeKey);
      expect(line.headers).toEqual(row.headers);
      expect(line.body).toEqual(row.body);
      expect(new Date(String(line.receivedAt)).toISOString()).toBe(row.receivedAt.toISOString());
      expect(Object.keys(line).sort()).toEqual(Object.keys(row).sort());
    }
    // Byte-exact: the body that was not UTF-8 text comes back as the same bytes.
    expect(Buffer.from(String(lines[0]!.rawBytes), "base64").equals(bytes)).toBe(true);
    expect(lines[1]!.rawBytes).toBeNull();

    expect(await monthsStored()).toEqual([
      ["2025-11", 1],
      ["2026-12", 1],
    ]);
    expect(await db().forwardMessage.count({ where: { eventId: october[1]!.id } })).toBe(0);
    const archive = await db().retentionArchive.findFirstOrThrow();
    expect(archive).toMatchObject({ name: "webhooks-2025-10.ndjson.gz", store: "directory", rows: 3 });
    expect(Number(archive.bytes)).toBe(fs.statSync(path.join(directory, archive.name)).size);
    expect(archive.verifiedAt).not.toBeNull();
    expect(archive.droppedAt).not.toBeNull();
    const entry = await lastAudit("retention.webhooks");
    expect(entry).toMatchObject({ actorId: null, result: "ok", targetId: "webhooks" });
    expect(entry?.details).toMatchObject({ rowsDropped: 3, trigger: "staff" });

    // Idempotent: the next run finds nothing expired and changes nothing.
    const again = await runRetentionJob("webhooks", "schedule", { now: NOW, store });
    expect(again.details).toMatchObject({ months: [], failure: null });
    expect(await monthsStored()).toEqual([
      ["2025-11", 1],
      ["2026-12", 1],
    ]);
  });

  it("keeps what the setting says: a shorter retention expires more months on the next run", async () => {
    await storeThreeMonths();
    const admin = await makeStaff("admin");
    await saveRetentionSettings({ webhookMonths: 1, apiLogDays: 30, auditYears: 7 }, admin);
    const store = archiveStore({ kind: "directory", directory: path.join(scratch, "archive-short") });
    const outcome = await runRetentionJob("webhooks", "schedule", { now: NOW, store });
    expect(outcome.details).toMatchObject({ keepMonths: 1, rowsDropped: 4 });
    expect(await monthsStored()).toEqual([["2026-12", 1]]);
  });

  it("never drops a month whose archive could not be written: the job reports it and the rows stay", async () => {
    await storeThreeMonths();
    // A directory under a regular file cannot be created, even by root.
    const blocker = path.join(scratch, "not-a-directory");
    fs.writeFileSync(blocker, "x");
    const store = archiveStore({ kind: "directory", directory: path.join(blocker, "archive") });
    const outcome = await runRetentionJob("webhooks", "schedule", { now: NOW, store });
    expect(outcome.ok).toBe(false);
    expect(outcome.details.failure).toMatchObject({
      month: "2025-10",
      message: expect.stringMatching(/ENOTDIR|EEXIST/),
    });
    expect(await monthsStored()).toEqual([
      ["2025-10", 3],
      ["2025-11", 1],
      ["2026-12", 1],
    ]);
    expect(await db().retentionArchive.count()).toBe(0);
    expect(await lastAudit("retention.webhooks")).toMatchObject({ result: "error" });
  });

  it("never drops a month whose archive reads back short", async () => {
    await storeThreeMonths();
    const store = truncatingStore(
      archiveStore({ kind: "directory", directory: path.join(scratch, "archive-short-read") }),
    );
    const outcome = await runRetentionJob("webhooks", "schedule", { now: NOW, store });
    expect(outcome.ok).toBe(false);
    expect(await monthsStored()).toEqual([
      ["2025-10", 3],
      ["2025-11", 1],
      ["2026-12", 1],
    ]);
    expect((await db().retentionArchive.findFirstOrThrow()).verifiedAt).toBeNull();
  });

  it("finishes a drop left under way only from an archive that still reads back as recorded", async () => {
    await storeThreeMonths();
    const directory = path.join(scratch, "archive-crash");
    const store = archiveStore({ kind: "directory", directory });
    const monthStart = new Date("2025-10-01T00:00:00Z");
    // What a run that stopped right after verifying (and before dropping) leaves behind.
    const written = await writeWebhookMonthArchive(store, "webhooks-2025-10.ndjson.gz", monthStart);
    await db().retentionArchive.create({
      data: {
        kind: "webhooks",
        monthStart,
        name: "webhooks-2025-10.ndjson.gz",
        store: "directory",
        location: directory,
        rows: written.rows,
        bytes: BigInt(written.bytes),
        sha256: written.sha256,
        verifiedAt: NOW,
        dropStartedAt: NOW,
      },
    });
    const file = path.join(directory, "webhooks-2025-10.ndjson.gz");
    const saved = fs.readFileSync(file);
    fs.rmSync(file);
    const lost = await runRetentionJob("webhooks", "schedule", { now: NOW, store });
    expect(lost.ok).toBe(false);
    expect(await monthsStored()).toContainEqual(["2025-10", 3]);

    fs.writeFileSync(file, saved);
    const finished = await runRetentionJob("webhooks", "schedule", { now: NOW, store });
    expect(finished.details).toMatchObject({ months: [{ month: "2025-10", rows: 3, step: "finished" }] });
    expect(await monthsStored()).toEqual([
      ["2025-11", 1],
      ["2026-12", 1],
    ]);
  });

  describe("in an S3-compatible store", () => {
    const port = 4724;
    const bucket = "console-archive";
    let server: S3rver;
    beforeAll(async () => {
      server = new S3rver({
        port,
        address: "127.0.0.1",
        silent: true,
        directory: path.join(scratch, "s3rver"),
        configureBuckets: [{ name: bucket, configs: [] }],
      });
      await server.run();
    });
    afterAll(() => server.close());
    const s3 = (serverPort: number) =>
      archiveStore({
        kind: "s3",
        bucket,
        prefix: "hubby/",
        endpoint: `http://127.0.0.1:${serverPort}`,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      });

    it("archives the month as an object, reads it back equal, then drops the month", async () => {
      const { october } = await storeThreeMonths();
      const store = s3(port);
      const outcome = await runRetentionJob("webhooks", "staff", { now: NOW, store });
      expect(outcome.details).toMatchObject({ store: `s3://${bucket}/hubby/`, rowsDropped: 3, failure: null });
      const object = await store.read("webhooks-2025-10.ndjson.gz");
      const chunks: Buffer[] = [];
      for await (const chunk of object) chunks.push(chunk as Buffer);
      const lines = readNdjson(Buffer.concat(chunks));
      expect(lines.map((line) => [String(line.id), line.rawBody])).toEqual(
        october.map((row) => [String(row.id), row.rawBody]),
      );
      expect(await db().retentionArchive.findFirstOrThrow()).toMatchObject({ store: "s3", rows: 3 });
      expect(await monthsStored()).toEqual([
        ["2025-11", 1],
        ["2026-12", 1],
      ]);
    });

    it("keeps the month when the store is down", async () => {
      await storeThreeMonths();
      // Nothing listens on this port.
      const outcome = await runRetentionJob("webhooks", "schedule", { now: NOW, store: s3(4725) });
      expect(outcome.ok).toBe(false);
      expect(await monthsStored()).toContainEqual(["2025-10", 3]);
    });
  });
});

function apiCall(at: Date) {
  return {
    at,
    environment: "SANDBOX",
    method: "GET",
    endpoint: "GET /destinations",
    path: "/api/destinations",
    status: 200,
    ok: true,
    durationMs: 12,
    requestId: "req-retention",
  };
}

describe("API log and audit log retention", () => {
  it("deletes API log rows past the days set, and nothing newer", async () => {
    await db().apiCall.deleteMany();
    await db().apiCall.createMany({
      data: [apiCall(new Date(NOW.getTime() - 31 * DAY)), apiCall(new Date(NOW.getTime() - 29 * DAY)), apiCall(NOW)],
    });
    // The default is API_LOG_RETENTION_DAYS (30).
    expect((await runRetentionJob("apiLog", "schedule", { now: NOW })).details).toMatchObject({
      keepDays: 30,
      deleted: 1,
    });
    expect(await db().apiCall.count()).toBe(2);
    const admin = await makeStaff("admin");
    await saveRetentionSettings({ webhookMonths: 13, apiLogDays: 7, auditYears: 7 }, admin);
    expect((await runRetentionJob("apiLog", "schedule", { now: NOW })).details).toMatchObject({
      keepDays: 7,
      deleted: 1,
    });
    expect(await db().apiCall.count()).toBe(1);
    expect(await lastAudit("retention.api_log")).toMatchObject({ actorId: null, result: "ok" });
  });

  it("deletes audit entries past the years set, never below the floor of one year", async () => {
    const entry = (action: string, at: Date) =>
      db().auditEntry.create({ data: { action, at, result: "ok" }, select: { id: true } });
    await entry("test.eight_years_ago", new Date(NOW.getTime() - 8 * 365 * DAY));
    await entry("test.two_years_ago", new Date(NOW.getTime() - 2 * 365 * DAY));
    await entry("test.half_a_year_ago", new Date(NOW.getTime() - 182 * DAY));
    const left = async () =>
      (await db().auditEntry.findMany({ where: { action: { startsWith: "test." } }, orderBy: { at: "asc" } })).map(
        (row) => row.action,
      );

    expect((await runRetentionJob("auditLog", "schedule", { now: NOW })).details).toMatchObject({
      keepYears: 7,
      deleted: 1,
    });
    expect(await left()).toEqual(["test.two_years_ago", "test.half_a_year_ago"]);

    const admin = await makeStaff("admin");
    await expect(saveRetentionSettings({ webhookMonths: 13, apiLogDays: 30, auditYears: 0 }, admin)).rejects.toThrow();
    // A value below the floor stored by hand is ignored: the default applies.
    await db().consoleSetting.upsert({
      where: { key: "retention.settings" },
      create: { key: "retention.settings", value: { auditYears: 0 } },
      update: { value: { auditYears: 0 } },
    });
    expect((await retentionSettings()).auditYears).toBe(7);
    await saveRetentionSettings({ webhookMonths: 13, apiLogDays: 30, auditYears: 1 }, admin);
    expect((await runRetentionJob("auditLog", "schedule", { now: NOW })).details).toMatchObject({
      keepYears: 1,
      deleted: 1,
    });
    expect(await left()).toEqual(["test.half_a_year_ago"]);
    expect(await lastAudit("retention.audit_log")).toMatchObject({ actorId: null, result: "ok" });
  });
});

describe("the retention actions", () => {
  it("an admin saves the values, audited with before and after; below the floor is refused with a field error", async () => {
    await signInAs("admin");
    const saved = await saveRetentionSettingsAction(
      null,
      form({ webhookMonths: "6", apiLogDays: "14", auditYears: "10" }),
    );
    expect(saved).toEqual({ ok: true, data: { webhookMonths: 6, apiLogDays: 14, auditYears: 10 } });
    expect(await retentionSettings()).toEqual({ webhookMonths: 6, apiLogDays: 14, auditYears: 10 });
    const entry = await lastAudit("settings.retention");
    expect(entry?.details).toEqual({
      before: { webhookMonths: 13, apiLogDays: 30, auditYears: 7 },
      after: { webhookMonths: 6, apiLogDays: 14, auditYears: 10 },
    });

    const refused = await saveRetentionSettingsAction(
      null,
      form({ webhookMonths: "6", apiLogDays: "x", auditYears: "0" }),
    );
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.fieldErrors?.auditYears?.[0]).toMatch(/at least 1 year/);
    expect(refused.fieldErrors?.apiLogDays?.[0]).toMatch(/number of days/);
    expect(await retentionSettings()).toEqual({ webhookMonths: 6, apiLogDays: 14, auditYears: 10 });
  });

  it("an admin queues a run now (audited); a second press while it waits is told so", async () => {
    const admin = await signInAs("admin");
    expect(await runRetentionNowAction(null, form({ job: "apiLog" }))).toEqual({ ok: true, data: { job: "apiLog" } });
    const entry = await lastAudit("retention.run_now");
    expect(entry).toMatchObject({ actorId: admin.id, result: "ok", targetId: "apiLog" });
    const [queued] = await getDatabase().sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${jobSchema}.job WHERE name = 'retention-api-log' AND state = 'created'`,
    );
    expect(queued?.count).toBe(1);
    const second = await runRetentionNowAction(null, form({ job: "apiLog" }));
    expect(second).toMatchObject({ ok: false, message: expect.stringMatching(/already waiting/) });
    expect(await runRetentionNowAction(null, form({ job: "nope" }))).toMatchObject({ ok: false });
  });

  it.each(["support", "campaign_manager"] as const)("%s may neither save nor run", async (role) => {
    await signInAs(role);
    expect(
      await saveRetentionSettingsAction(null, form({ webhookMonths: "1", apiLogDays: "1", auditYears: "1" })),
    ).toEqual({
      ok: false,
      message: FORBIDDEN_MESSAGE,
    });
    expect(await runRetentionNowAction(null, form({ job: "webhooks" }))).toEqual({
      ok: false,
      message: FORBIDDEN_MESSAGE,
    });
    expect((await retentionSettings()).webhookMonths).toBe(13);
  });
});

// WebhookEvent is partitioned by month (docs/decisions/0063): October 2025 gets its own partition here; the months
// without one (November 2025) sit in the default partition.
describe("webhook retention on a partitioned table", () => {
  beforeAll(async () => {
    await ensureWebhookMonths(new Date("2025-10-01T00:00:00Z"), new Date("2025-10-01T00:00:00Z"));
  });

  it("archives the month's partition, then detaches and drops it; the default partition's months are listed too", async () => {
    const { october } = await storeThreeMonths();
    expect(await monthsStored()).toEqual([
      ["2025-10", 3],
      ["2025-11", 1],
      ["2026-12", 1],
    ]);
    const directory = path.join(scratch, "archive-partitioned");
    const outcome = await runRetentionJob("webhooks", "staff", {
      now: NOW,
      store: archiveStore({ kind: "directory", directory }),
    });
    expect(outcome.details).toMatchObject({ rowsDropped: 3, failure: null });
    const lines = readNdjson(fs.readFileSync(path.join(directory, "webhooks-2025-10.ndjson.gz")));
    expect(lines.map((line) => String(line.id))).toEqual(october.map((row) => String(row.id)));
    const partitions = await getDatabase().sql.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'WebhookEvent' ORDER BY 1`,
    );
    expect(partitions.map((row) => row.name)).not.toContain("WebhookEvent_p2025_10");
    expect(partitions.map((row) => row.name)).toEqual(
      expect.arrayContaining(["WebhookEvent_default", "WebhookEvent_p2026_12"]),
    );
    expect(await db().forwardMessage.count({ where: { eventId: october[1]!.id } })).toBe(0);
    expect(await monthsStored()).toEqual([
      ["2025-11", 1],
      ["2026-12", 1],
    ]);
  });
});
