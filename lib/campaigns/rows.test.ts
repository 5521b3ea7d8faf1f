import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CatalogDestinationView } from "../bookings/quote";
import {
  checkMapping,
  fieldsOf,
  guessMapping,
  parseDeparture,
  quoter,
  readCsv,
  validateRow,
  type CampaignField,
} from "./rows";

const bundle = (id: string, label: string, bytes: number, b2b: number) => ({
  id,
  type: "data-limited",
  label,
  sizeBytes: bytes,
  durationDays: 30,
  b2bCents: b2b,
  b2cCents: b2b * 2,
  currency: "EUR",
});
const GB = 1024 ** 3;
const catalog: CatalogDestinationView[] = [
  { id: "GR", kind: "country", name: "Greece", countries: ["GR"], bundles: [bundle("gr1", "1GB", GB, 250)] },
  { id: "FR", kind: "country", name: "France", countries: ["FR"], bundles: [bundle("fr1", "1GB", GB, 300)] },
];
const now = Date.parse("2026-06-01T12:00:00Z");
const context = { quote: quoter(catalog), now, reference: "hpc-campaign-x-2" };

async function records(text: string | Buffer) {
  const out = [];
  for await (const record of readCsv(Readable.from([typeof text === "string" ? Buffer.from(text) : text]))) {
    out.push({ line: record.line, values: record.values });
  }
  return out;
}

const row = (values: Partial<Record<CampaignField, string>>) =>
  ({
    external_user_id: "t1",
    destination: "GR",
    size: "1GB",
    package_type: "",
    package_duration: "",
    departure_date: "2026-06-10T09:00:00+02:00",
    locale: "",
    custom_branding: "",
    ...values,
  }) as Record<CampaignField, string>;

describe("reading a campaign file", () => {
  it("handles a BOM, quoted fields with commas, quotes and line breaks, semicolons and empty lines", async () => {
    const text = '\uFEFFexternal_user_id,destination\r\n"a, b","GR;FR"\r\n\r\n"say ""hi""",GR\n"two\nlines",FR\n,\n';
    expect(await records(text)).toEqual([
      { line: 1, values: ["external_user_id", "destination"] },
      { line: 2, values: ["a, b", "GR;FR"] },
      { line: 4, values: ['say "hi"', "GR"] },
      { line: 5, values: ["two\nlines", "FR"] },
    ]);
  });

  it("stops reading when the caller stops after the header", async () => {
    const big = Buffer.from("a,b\n" + "1,2\n".repeat(200_000));
    const records = readCsv(Readable.from([big, big]));
    expect((await records.next()).value).toMatchObject({ line: 1, values: ["a", "b"] });
    await records.return(undefined);
  });

  it("tells how far into the file each record ends (the upload estimates the row count from it)", async () => {
    const text = "external_user_id,destination\nab,GR\nabcd,FR\n";
    const read = [];
    for await (const record of readCsv([Buffer.from(text.slice(0, 20)), Buffer.from(text.slice(20))])) {
      read.push(record.bytes);
    }
    expect(read.length).toBe(3);
    expect(read[0]).toBeLessThan(read[1]!);
    expect(read[1]).toBeLessThan(read[2]!);
    expect(read[2]).toBeLessThanOrEqual(Buffer.byteLength(text));
    expect(read[2]).toBeGreaterThanOrEqual(Buffer.byteLength(text) - 1);
  });

  it("rejects an unclosed quote with an error, not a hang", async () => {
    await expect(records('a,b\n"open,1\n')).rejects.toThrow(/quote/i);
  });

  it("streams a generated 50,000-row file", async () => {
    const lines = ["external_user_id,destination,size,departure_date"];
    for (let i = 0; i < 50_000; i++) lines.push(`traveler_${i},GR,1GB,2026-06-10`);
    const source = Readable.from(
      (function* () {
        const text = lines.join("\n");
        for (let offset = 0; offset < text.length; offset += 65_536)
          yield Buffer.from(text.slice(offset, offset + 65_536));
      })(),
    );
    const quote = quoter(catalog);
    let valid = 0;
    let last = 0;
    let indexes: ReturnType<typeof checkMapping> | undefined;
    for await (const record of readCsv(source)) {
      if (!indexes) {
        indexes = checkMapping(record.values, guessMapping(record.values));
        continue;
      }
      if (!indexes.ok) throw new Error("mapping");
      const result = validateRow(fieldsOf(record.values, indexes.indexes), { quote, now, reference: "r" });
      if (result.ok) valid++;
      last = record.line;
    }
    expect(valid).toBe(50_000);
    expect(last).toBe(50_001);
  }, 120_000);
});

describe("column mapping", () => {
  it("matches headers by name, ignoring case, spaces and punctuation, and common aliases", () => {
    expect(guessMapping(["External User ID", "Country", "Data", "Departure", "Language"])).toEqual({
      external_user_id: "External User ID",
      destination: "Country",
      size: "Data",
      departure_date: "Departure",
      locale: "Language",
    });
  });

  it("asks for the required columns and refuses a header the file does not have", () => {
    expect(checkMapping(["member", "country"], guessMapping(["member", "country"]))).toEqual({
      ok: false,
      issue: "Choose the column for external_user_id, departure_date.",
    });
    expect(checkMapping(["a"], { external_user_id: "b" })).toMatchObject({
      ok: false,
      issue: expect.stringContaining('"b"'),
    });
    const mapped = checkMapping(["m", "c", "d"], { external_user_id: "m", destination: "c", departure_date: "d" });
    expect(mapped).toEqual({ ok: true, indexes: { external_user_id: 0, destination: 1, departure_date: 2 } });
  });
});

describe("validating a row", () => {
  it("builds the same request as a single booking, with the departure as written", () => {
    const result = validateRow(row({ destination: "gr; fr", locale: "en-GB" }), context);
    expect(result).toMatchObject({
      ok: true,
      destinations: ["GR", "FR"],
      costCents: 550,
      priceCents: 1100,
      request: {
        booking_id: "hpc-campaign-x-2",
        departure_date: "2026-06-10T09:00:00+02:00",
        locale: "en-GB",
        package_specifications: [
          { external_user_id: "t1", destination: ["GR", "FR"], package_type: "data-limited", size: "1GB" },
        ],
      },
    });
  });

  it("accepts a date alone (flagged) and refuses the past, bad dates, unknown destinations and sizes", () => {
    expect(validateRow(row({ departure_date: "2026-06-01" }), context)).toMatchObject({ ok: true, dateOnly: true });
    expect(validateRow(row({ departure_date: "2026-05-31" }), context)).toMatchObject({
      ok: false,
      error: "departure_date: the departure is in the past.",
    });
    expect(validateRow(row({ departure_date: "2026-06-01T13:00:00+02:00" }), context)).toMatchObject({ ok: false });
    expect(validateRow(row({ departure_date: "10/06/2026" }), context)).toMatchObject({
      ok: false,
      error: expect.stringContaining("departure_date: use a date-time with offset"),
    });
    expect(validateRow(row({ destination: "ZZ" }), context)).toMatchObject({
      ok: false,
      error: "destination: ZZ is not in the catalog; refresh the catalog.",
    });
    expect(validateRow(row({ size: "3GB" }), context)).toMatchObject({
      ok: false,
      error: "destination: Greece has no 3GB data-limited bundle.",
    });
    // Any size in Hubby's notation is read; the catalog decides whether it is sold.
    expect(validateRow(row({ size: "7GB" }), context)).toMatchObject({
      ok: false,
      error: "destination: Greece has no 7GB data-limited bundle.",
    });
    expect(validateRow(row({ size: "7 GB" }), context)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^size:/),
    });
    expect(validateRow(row({ external_user_id: "x".repeat(201) }), context)).toMatchObject({
      ok: false,
      error: expect.stringContaining("An external_user_id is at most 200 characters."),
    });
    expect(validateRow(row({ locale: "xx-XX" }), context)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^locale:/),
    });
    expect(validateRow(row({ custom_branding: "bad key!" }), context)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^custom_branding:/),
    });
  });

  it("issues one promo code for a row without external_user_id: the same specification, no traveler", () => {
    const result = validateRow(row({ external_user_id: "", destination: "gr" }), context);
    expect(result).toMatchObject({
      ok: true,
      promoCode: true,
      externalUserId: "",
      destinations: ["GR"],
      costCents: 250,
      request: {
        booking_id: "hpc-campaign-x-2",
        departure_date: "2026-06-10T09:00:00+02:00",
        package_specifications: [{ destination: "GR", package_type: "data-limited", size: "1GB" }],
      },
    });
    if (!result.ok) throw new Error(result.error);
    expect(result.request.package_specifications[0]).not.toHaveProperty("external_user_id");
    expect(validateRow(row({}), context)).toMatchObject({ ok: true, promoCode: false });
    // A promo-code row is checked like any other: an unknown destination is still an error.
    expect(validateRow(row({ external_user_id: "", destination: "ZZ" }), context)).toMatchObject({ ok: false });
  });

  it("takes an optional package_duration column and sends it; a duration not sold is refused", () => {
    expect(validateRow(row({ package_duration: "30" }), context)).toMatchObject({
      ok: true,
      costCents: 250,
      request: {
        package_specifications: [
          {
            external_user_id: "t1",
            destination: "GR",
            package_type: "data-limited",
            size: "1GB",
            package_duration: 30,
          },
        ],
      },
    });
    expect(validateRow(row({ package_duration: "365" }), context)).toMatchObject({
      ok: false,
      error: "package_duration: Greece has no 1GB data-limited, 365 days bundle.",
    });
    expect(validateRow(row({ package_duration: "a month" }), context)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^package_duration:/),
    });
    expect(guessMapping(["traveler", "country", "size", "Duration (days)", "departure"])).toMatchObject({
      package_duration: "Duration (days)",
    });
  });

  it("normalises offsets to ±HH:MM and seconds", () => {
    expect(parseDeparture("2026-06-10 09:00+0200")).toMatchObject({ ok: true, value: "2026-06-10T09:00:00+02:00" });
    expect(parseDeparture("2026-06-10T09:00:00Z")).toMatchObject({ ok: true, value: "2026-06-10T09:00:00Z" });
    expect(parseDeparture("2026-02-30")).toMatchObject({ ok: false });
  });
});
