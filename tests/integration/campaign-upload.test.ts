import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/campaigns/upload/route";
import { MAX_UPLOAD_BYTES } from "@/app/(console)/campaigns/new/limits";
import { refreshCatalog } from "@/lib/catalog/catalog";
import { db, getDatabase } from "@/lib/db";
import { startJobs, stopJobs } from "@/lib/jobs/jobs";
import { testJobSchema } from "../support/jobs";
import { signInAs } from "../support/factories";
import { setSession } from "../support/session";
import { clientFor, sandboxPerFile } from "../support/sandbox";

// POST /api/campaigns/upload: the caller is checked before the body is read, and the body is read through a cap,
// so the advertised 24 MB / 100,000 rows work and anything larger is refused with a message, never a 500.
const harness = sandboxPerFile();
const jobSchema = testJobSchema();

beforeAll(async () => {
  await refreshCatalog(clientFor(harness.sandbox).client);
  // The upload queues the file's check on the job system, as in the app.
  await startJobs({ schema: jobSchema, pollingIntervalSeconds: 0.5, schedules: false });
});

afterAll(() => stopJobs(1_000));

const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const HEADER = "external_user_id,destination,size,package_type,departure_date,locale,custom_branding\n";

function csv(rows: number, pad = 0) {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `upload_traveler_${String(i).padStart(6, "0")}${"x".repeat(pad)},GR,1GB,data-limited,${inTwoDays}T09:00:00+02:00,en,\n`,
    );
  }
  return lines.join("");
}

/** A multipart body as a stream that records how many bytes the route pulled from it. */
function uploadRequest(fields: Record<string, string>, file?: { name: string; text: string }, declare = true) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (file) form.set("file", new File([file.text], file.name, { type: "text/csv" }));
  const encoded = new Response(form);
  const contentType = encoded.headers.get("content-type")!;
  const pulled = { bytes: 0 };
  return encoded.arrayBuffer().then((buffer) => {
    const bytes = new Uint8Array(buffer);
    const chunk = 64 * 1024;
    let offset = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (offset >= bytes.length) return controller.close();
          const next = bytes.subarray(offset, offset + chunk);
          offset += next.length;
          pulled.bytes += next.length;
          controller.enqueue(next);
        },
        // Pull only when the route reads: nothing is read ahead.
      },
      { highWaterMark: 0 },
    );
    const headers: Record<string, string> = { "content-type": contentType };
    if (declare) headers["content-length"] = String(bytes.length);
    const request = new Request("http://console.test/api/campaigns/upload", {
      method: "POST",
      headers,
      body,
      duplex: "half",
    } as RequestInit);
    return { request, pulled, size: bytes.length };
  });
}

describe("campaign upload route", () => {
  it("takes a 95,000-row file of over 11 MB, as the page advertises, and starts its check", async () => {
    await signInAs("campaign_manager");
    const text = csv(95_000, 45);
    expect(text.length).toBeGreaterThan(10.5 * 1024 * 1024);
    const { request } = await uploadRequest({ name: "Large file" }, { name: "large.csv", text });
    const response = await POST(request);
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result).toMatchObject({ ok: true, data: { outcome: "checking" } });
    const campaign = await db().campaign.findUniqueOrThrow({ where: { id: result.data.campaignId } });
    expect(campaign.status).toBe("checking");
    const stored = await db().campaignFile.findUniqueOrThrow({ where: { campaignId: campaign.id } });
    expect(stored.content.length).toBe(Buffer.byteLength(text));
    // Its check is queued on the job system (no handler runs here, so it waits).
    const jobs = await getDatabase().sql.query<{ state: string }>(
      `SELECT state::text AS state FROM ${jobSchema}.job WHERE name = 'campaign-check' AND singleton_key = $1`,
      [campaign.id],
    );
    expect(jobs.map((job) => job.state)).toEqual(["created"]);
  }, 120_000);

  it("refuses a file over 24 MB with a message, declared or not, reading no more than the cap", async () => {
    await signInAs("campaign_manager");
    const text = csv(150_000, 100);
    expect(text.length).toBeGreaterThan(MAX_UPLOAD_BYTES);
    const declared = await uploadRequest({ name: "Too large" }, { name: "huge.csv", text });
    const refused = await POST(declared.request);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ ok: false, message: expect.stringMatching(/larger than 24 MB.*split/) });
    expect(declared.pulled.bytes).toBe(0);

    const chunked = await uploadRequest({ name: "Too large" }, { name: "huge.csv", text }, false);
    const alsoRefused = await POST(chunked.request);
    expect(alsoRefused.status).toBe(413);
    expect(chunked.pulled.bytes).toBeLessThan(MAX_UPLOAD_BYTES + 256 * 1024);
    expect(chunked.pulled.bytes).toBeLessThan(chunked.size);
  }, 120_000);

  it("answers a signed-out caller 401 and a support agent 403 before reading the body", async () => {
    setSession(null);
    const anonymous = await uploadRequest({ name: "x" }, { name: "a.csv", text: csv(10) });
    const response = await POST(anonymous.request);
    expect(response.status).toBe(401);
    expect(anonymous.pulled.bytes).toBe(0);

    await signInAs("support");
    const support = await uploadRequest({ name: "x" }, { name: "a.csv", text: csv(10) });
    const forbidden = await POST(support.request);
    expect(forbidden.status).toBe(403);
    expect(support.pulled.bytes).toBe(0);
    expect(await db().auditEntry.count({ where: { action: "campaigns.dry_run", result: "refused" } })).toBe(1);
  });

  it("answers a body that is not a form with a message", async () => {
    await signInAs("campaign_manager");
    const response = await POST(
      new Request("http://console.test/api/campaigns/upload", {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=nothing" },
        body: "garbage",
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, message: expect.stringMatching(/could not be read/) });
  });
});
