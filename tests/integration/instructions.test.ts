import { afterEach, describe, expect, it } from "vitest";
import { previewInstructionsAction, saveSnapshotAction } from "@/app/(console)/instructions/actions";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { resetHubbyClient } from "@/lib/hubby";
import { getSnapshot, instructionSnapshotsFor } from "@/lib/instructions/snapshots";
import { form, signInAs } from "../support/factories";
import { withConsoleSandbox } from "../support/sandbox";

// The instructions screen's actions against the sandbox: preview, snapshot, Hubby's refusals and outages.
const TRAVELER = "instructions_user";
const harness = withConsoleSandbox({
  env: { HUBBY_GET_RETRIES: "0" },
  setup: async (client) => {
    await client.createBooking({
      departure_date: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      custom_branding: "brand_luxury_travel",
      package_specifications: [{ external_user_id: TRAVELER, destination: "IT", size: "3GB" }],
    });
  },
});
afterEach(() => {
  harness.sandbox.faults.clear();
});

const inputs = (overrides: Record<string, string> = {}) =>
  form({
    externalUserId: TRAVELER,
    device: "Apple iPhone 15 Pro",
    deviceType: "phone",
    phoneOs: "ios",
    osVersion: "17.4",
    locale: "de-DE",
    format: "html",
    ...overrides,
  });

describe("instructions preview", () => {
  it("returns sanitized HTML in a sandboxed-frame document, with the branding Hubby applied; audited", async () => {
    const staff = await signInAs("support");
    const result = await previewInstructionsAction(null, inputs());
    if (!result.ok) throw new Error(result.message);
    const { view, branding, compatible, locale } = result.data;
    expect(view.kind).toBe("html");
    if (view.kind !== "html") return;
    expect(view.srcDoc).toContain(`<html lang="de-DE">`);
    expect(view.srcDoc).toContain("default-src 'none'");
    expect(view.srcDoc).toContain("Installieren Sie Ihre Reise-eSIM");
    expect(view.srcDoc).toContain(`${harness.sandbox.url}/assets/logo-brand_luxury_travel.svg`);
    expect(view.srcDoc).not.toMatch(/href=|<script/i);
    // Hubby does not document whether its reply names the identity it applied; the full sandbox names it.
    expect(branding).toEqual(
      harness.sandbox.options.shapes === "documented"
        ? { requested: null, appliedKey: null, appliedName: null, reported: false }
        : { requested: null, appliedKey: "brand_luxury_travel", appliedName: "Luxury Travel", reported: true },
    );
    expect(compatible).toBe(true);
    expect(locale).toBe("de-DE");
    // Nothing stored on the server side leaks into the browser's copy.
    expect(Object.keys(result.data).sort()).toEqual(["branding", "compatible", "inputs", "locale", "view"]);

    const entry = await db().auditEntry.findFirstOrThrow({
      where: { action: "instructions.preview", actorId: staff.id },
    });
    expect(entry).toMatchObject({ result: "ok", externalUserId: TRAVELER });
    expect(entry.details).toMatchObject({ device: "Apple iPhone 15 Pro", locale: "de-DE", format: "html" });
  });

  it("previews a brand key before issuing and says when Hubby does not know it", async () => {
    await signInAs("campaign_manager");
    const known = await previewInstructionsAction(null, inputs({ customBranding: "your-brand" }));
    const unknown = await previewInstructionsAction(null, inputs({ customBranding: "no_such_brand" }));
    if (harness.sandbox.options.shapes === "documented") {
      // A reply that does not say which identity it applied: the preview shows the requested key, unconfirmed.
      for (const [result, requested] of [
        [known, "your-brand"],
        [unknown, "no_such_brand"],
      ] as const) {
        expect(result).toMatchObject({
          ok: true,
          data: { branding: { requested, appliedKey: null, reported: false } },
        });
      }
      // The sandbox still renders with the requested brand; only its reply does not say so.
      if (!known.ok || known.data.view.kind !== "html") throw new Error("expected an HTML preview");
      expect(known.data.view.srcDoc).toContain("Your Brand");
      return;
    }
    expect(known).toMatchObject({
      ok: true,
      data: { branding: { requested: "your-brand", appliedKey: "your-brand" } },
    });
    expect(unknown).toMatchObject({
      ok: true,
      data: { branding: { requested: "no_such_brand", appliedKey: "default" } },
    });
  });

  it("shows JSON and Markdown as text, never as markup", async () => {
    await signInAs("support");
    const json = await previewInstructionsAction(null, inputs({ format: "json", phoneOs: "android", osVersion: "15" }));
    if (!json.ok) throw new Error(json.message);
    expect(json.data.view.kind).toBe("json");
    if (json.data.view.kind === "json") expect(JSON.parse(json.data.view.text)).toMatchObject({ format: "json" });
    const markdown = await previewInstructionsAction(null, inputs({ format: "markdown" }));
    expect(markdown).toMatchObject({ ok: true, data: { view: { kind: "text", text: expect.stringMatching(/^# /) } } });
  });

  it("strips the hostile_html fault's payloads before anything reaches the browser", async () => {
    await signInAs("support");
    harness.sandbox.faults.add({ kind: "hostile_html", path: "/native/instructions" });
    const result = await previewInstructionsAction(null, inputs({ osVersion: "16" }));
    if (!result.ok || result.data.view.kind !== "html") throw new Error("expected an HTML preview");
    const body = result.data.view.srcDoc.replace(/<style>[\s\S]*?<\/style>/g, "");
    expect(body).not.toMatch(
      /<script|<iframe|<object|<embed|<form|<base|<meta http-equiv="refresh"|\son\w+=|javascript:/i,
    );
    expect(body).toContain("QR");
  });

  it("rejects bad input with field messages before calling Hubby", async () => {
    await signInAs("support");
    const before = harness.sandbox.requests.length;
    const result = await previewInstructionsAction(null, inputs({ device: "", osVersion: "seventeen", locale: "x" }));
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        device: ["Enter the device, e.g. Apple iPhone 15 Pro."],
        osVersion: ["Enter the OS version, e.g. 17.4 or 15."],
        locale: ["Choose a locale, e.g. en-GB."],
      },
    });
    expect(harness.sandbox.requests.length).toBe(before);
  });

  it("explains an unknown traveler (Hubby 404) and audits the failure with the traveler", async () => {
    await signInAs("support");
    const result = await previewInstructionsAction(null, inputs({ externalUserId: "nobody_here" }));
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining("Hubby does not know a traveler “nobody_here”"),
      fieldErrors: { externalUserId: ["Hubby does not know this traveler."] },
    });
    expect(
      await db().auditEntry.count({
        where: { action: "instructions.preview", externalUserId: "nobody_here", result: "error" },
      }),
    ).toBe(1);
  });

  it("explains Hubby being down and Hubby not answering", async () => {
    await signInAs("support");
    harness.sandbox.faults.add({ kind: "status", status: 503, path: "/native/instructions", times: 1 });
    expect(await previewInstructionsAction(null, inputs())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Hubby had a problem \(HTTP 503\).*Hubby request /),
    });

    process.env.HUBBY_TIMEOUT_MS = "500";
    resetEnvCache();
    resetHubbyClient();
    try {
      harness.sandbox.faults.add({ kind: "timeout", path: "/native/instructions", ms: 3_000, times: 1 });
      expect(await previewInstructionsAction(null, inputs())).toMatchObject({
        ok: false,
        message: expect.stringContaining("Hubby did not answer in time"),
      });
    } finally {
      delete process.env.HUBBY_TIMEOUT_MS;
      resetEnvCache();
      resetHubbyClient();
    }
  });

  it("explains a reply that is not the expected shape", async () => {
    await signInAs("support");
    harness.sandbox.faults.add({ kind: "malformed", path: "/native/instructions", times: 1 });
    expect(await previewInstructionsAction(null, inputs())).toMatchObject({
      ok: false,
      message: expect.stringContaining("not JSON"),
    });
  });
});

describe("instruction snapshots", () => {
  it("stores the sanitized reply with who, when and the inputs; lists it for the timeline; audited", async () => {
    const staff = await signInAs("support");
    harness.sandbox.faults.add({ kind: "hostile_html", path: "/native/instructions", times: 1 });
    const saved = await saveSnapshotAction(null, inputs({ osVersion: "16", customBranding: "your-brand" }));
    if (!saved.ok) throw new Error(saved.message);
    expect(saved.data.href).toBe(`/instructions/snapshots/${saved.data.id}`);

    const row = await db().instructionSnapshot.findUniqueOrThrow({ where: { id: saved.data.id } });
    expect(row).toMatchObject({
      staffId: staff.id,
      staffEmail: staff.email,
      externalUserId: TRAVELER,
      format: "html",
      branding: "your-brand",
      content: null,
    });
    expect(row.inputs).toMatchObject({ device: "Apple iPhone 15 Pro", osVersion: "16", locale: "de-DE" });
    expect(row.html).toContain("Installieren Sie Ihre Reise-eSIM");
    expect(row.html!.replace(/<style>[\s\S]*?<\/style>/g, "")).not.toMatch(/<script|\son\w+=|javascript:|<iframe/i);

    const page = await getSnapshot(saved.data.id);
    expect(page).toMatchObject({ externalUserId: TRAVELER, staffEmail: staff.email, view: { kind: "html" } });
    expect(await getSnapshot("not-a-uuid")).toBeNull();

    const timeline = await instructionSnapshotsFor(TRAVELER, 5);
    expect(timeline[0]).toEqual({
      id: saved.data.id,
      at: row.createdAt,
      staffEmail: staff.email,
      title: "Instructions snapshot: Apple iPhone 15 Pro · iOS 16 · de-DE (html)",
      href: saved.data.href,
    });
    expect(
      await db().auditEntry.findFirst({
        where: { action: "instructions.snapshot", targetId: saved.data.id, externalUserId: TRAVELER, result: "ok" },
      }),
    ).not.toBeNull();
  });

  it("stores a non-HTML reply as content and renders it as text", async () => {
    await signInAs("admin");
    const saved = await saveSnapshotAction(null, inputs({ format: "markdown" }));
    if (!saved.ok) throw new Error(saved.message);
    const row = await db().instructionSnapshot.findUniqueOrThrow({ where: { id: saved.data.id } });
    expect(row.html).toBeNull();
    expect(row.content).toMatchObject({ format: "markdown", markdown: expect.stringMatching(/^# /) });
    expect(await getSnapshot(saved.data.id)).toMatchObject({
      view: { kind: "text" },
      inputs: { format: "markdown", device: "Apple iPhone 15 Pro" },
      title: "Instructions snapshot: Apple iPhone 15 Pro · iOS 17.4 · de-DE (markdown)",
    });
  });

  it("saves nothing when Hubby refuses, and says why", async () => {
    await signInAs("support");
    const before = await db().instructionSnapshot.count();
    const result = await saveSnapshotAction(null, inputs({ externalUserId: "nobody_here" }));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("does not know") });
    expect(await db().instructionSnapshot.count()).toBe(before);
  });
});
