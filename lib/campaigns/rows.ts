import { parse, type Options } from "csv-parse";
import type { Readable } from "node:stream";
import { quoteSpecification, type CatalogDestinationView, type QuotedBundle } from "../bookings/quote";
import { buildPromoCodeRequest, PROMO_CODE_STAND_IN, type PromoCodeBookingRequest } from "../bookings/promo-request";
import {
  bookingDraftSchema,
  buildBookingRequest,
  type BookingRequest,
  type PackageSpecificationRequest,
} from "../bookings/request";

/**
 * A campaign file, row by row: the columns, the mapping of a file's own headers onto them, the streaming parse
 * (csv-parse, never string splitting) and each row's validation with the single booking's schema, request builder
 * and catalog quote. Pure apart from reading the stream, so the unit tests cover it without a database.
 */

export const CAMPAIGN_FIELDS = [
  "external_user_id",
  "destination",
  "size",
  "package_type",
  "package_duration",
  "departure_date",
  "locale",
  "custom_branding",
] as const;
export type CampaignField = (typeof CAMPAIGN_FIELDS)[number];
export const REQUIRED_FIELDS: readonly CampaignField[] = ["external_user_id", "destination", "departure_date"];

export const TEMPLATE_CSV =
  "external_user_id,destination,size,package_type,departure_date,locale,custom_branding\r\n" +
  "traveler_001,GR,1GB,data-limited,2030-07-15T14:30:00+02:00,en-US,\r\n" +
  'traveler_002,"US;CA;MX",3GB,data-limited,2030-07-16,,\r\n';

/** field → the header in the file that holds it (absent when the file has no such column). */
export type ColumnMapping = Partial<Record<CampaignField, string>>;

const normalize = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, "");

const ALIASES: Record<CampaignField, string[]> = {
  external_user_id: ["externaluserid", "userid", "traveler", "travelerid", "customerid", "memberid"],
  destination: ["destination", "destinations", "country", "countries"],
  size: ["size", "datasize", "data", "bundle"],
  package_type: ["packagetype", "type"],
  package_duration: ["packageduration", "duration", "durationdays", "days"],
  departure_date: ["departuredate", "departure", "departureat", "traveldate"],
  locale: ["locale", "language", "lang"],
  custom_branding: ["custombranding", "branding", "brand"],
};

/** Matches the file's headers to the fields by name (case, spaces and punctuation ignored, common aliases). */
export function guessMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const field of CAMPAIGN_FIELDS) {
    const header = headers.find((candidate) => ALIASES[field].includes(normalize(candidate)));
    if (header !== undefined) mapping[field] = header;
  }
  return mapping;
}

export type MappingCheck = { ok: true; indexes: Partial<Record<CampaignField, number>> } | { ok: false; issue: string };

/** The column index of each mapped field; refuses a missing required field or a header the file does not have. */
export function checkMapping(headers: string[], mapping: ColumnMapping): MappingCheck {
  const indexes: Partial<Record<CampaignField, number>> = {};
  for (const field of CAMPAIGN_FIELDS) {
    const header = mapping[field];
    if (!header) continue;
    const index = headers.indexOf(header);
    if (index < 0) return { ok: false, issue: `The file has no column "${header}" (mapped to ${field}).` };
    indexes[field] = index;
  }
  const missing = REQUIRED_FIELDS.filter((field) => indexes[field] === undefined);
  if (missing.length > 0) return { ok: false, issue: `Choose the column for ${missing.join(", ")}.` };
  return { ok: true, indexes };
}

export const csvOptions: Options = {
  bom: true,
  record_delimiter: ["\r\n", "\n", "\r"],
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  relax_column_count: true,
  trim: true,
  max_record_size: 64 * 1024,
  info: true,
};

/** One record: the line it starts on, its values, and how many bytes of the file the parser had read by its end. */
export type CsvRecord = { line: number; values: string[]; bytes: number };

/** Streams records (the header first) with the line each one starts on. */
export async function* readCsv(
  source: Readable | AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
): AsyncGenerator<CsvRecord> {
  const parser = parse(csvOptions);
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        if (parser.destroyed) return;
        if (!parser.write(chunk)) {
          // Wait for room (or for the parser to be gone); the listener not fired is removed, or one "close"
          // listener per backpressure pause would pile up on a big file.
          await new Promise<void>((resolve) => {
            const done = () => {
              parser.off("drain", done);
              parser.off("close", done);
              resolve();
            };
            parser.once("drain", done);
            parser.once("close", done);
          });
        }
      }
      if (!parser.destroyed) parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      const extraLines = item.record.reduce((sum, value) => sum + (value.match(/\n/g)?.length ?? 0), 0);
      yield { line: item.info.lines - extraLines, values: item.record, bytes: item.info.bytes };
    }
  } finally {
    // Stopped early (only the header was needed): let go of the parser and the rest of the source.
    parser.destroy();
    await feed;
  }
}

/** The values of one record by field, through the mapping. */
export function fieldsOf(values: string[], indexes: Partial<Record<CampaignField, number>>) {
  const fields = {} as Record<CampaignField, string>;
  for (const field of CAMPAIGN_FIELDS) {
    const index = indexes[field];
    fields[field] = index === undefined ? "" : (values[index] ?? "").trim();
  }
  return fields;
}

const DATE_ONLY = /^(\d{4}-\d{2}-\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export type Departure = { ok: true; value: string; date: string; instant: number; dateOnly: boolean } | { ok: false };

/** `2026-07-15T14:30:00+02:00` (sent as written, normalised to seconds) or a date alone (sent as a date). */
export function parseDeparture(text: string): Departure {
  const date = DATE_ONLY.exec(text);
  if (date) {
    const instant = Date.parse(`${date[1]}T00:00:00Z`);
    return Number.isNaN(instant) || new Date(instant).toISOString().slice(0, 10) !== date[1]
      ? { ok: false }
      : { ok: true, value: date[1]!, date: date[1]!, instant, dateOnly: true };
  }
  const match = DATE_TIME.exec(text);
  if (!match) return { ok: false };
  const offset = match[5] === "Z" ? "Z" : match[5]!.replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2");
  const value = `${match[1]}T${match[2]}:${match[3]}:${match[4] ?? "00"}${offset}`;
  const instant = Date.parse(value);
  const calendarDay = Date.parse(`${match[1]}T00:00:00Z`);
  if (Number.isNaN(instant) || new Date(calendarDay).toISOString().slice(0, 10) !== match[1]) return { ok: false };
  return { ok: true, value, date: match[1]!, instant, dateOnly: false };
}

export type ValidRow = {
  ok: true;
  /** "" for a promo-code row. */
  externalUserId: string;
  destinations: string[];
  request: BookingRequest | PromoCodeBookingRequest;
  /** An empty external_user_id: the row issues one promo code (a booking without a traveler, reference §4.1). */
  promoCode: boolean;
  bundles: QuotedBundle[];
  costCents: number;
  priceCents: number;
  currency: string;
  dateOnly: boolean;
};
export type InvalidRow = { ok: false; externalUserId: string; destinations: string[]; error: string };

const FIELD_OF_PATH: Record<string, CampaignField> = {
  travelers: "external_user_id",
  "specs.0.destinations": "destination",
  "specs.0.size": "size",
  "specs.0.packageType": "package_type",
  "specs.0.durationDays": "package_duration",
  departureDate: "departure_date",
  locale: "locale",
  customBranding: "custom_branding",
};

/** Several quote calls per file share the same few specifications: quote each once (without its traveler). */
export function quoter(catalog: CatalogDestinationView[]) {
  const cache = new Map<string, ReturnType<typeof quoteSpecification>>();
  return (spec: Omit<PackageSpecificationRequest, "external_user_id">) => {
    const key = JSON.stringify({ ...spec, external_user_id: undefined });
    let quote = cache.get(key);
    if (!quote) {
      quote = quoteSpecification(spec, catalog);
      cache.set(key, quote);
    }
    return quote;
  };
}

/** A package_duration cell: a whole number of days, or empty (the type's default). */
function durationCell(text: string): number | string | undefined {
  if (text === "") return undefined;
  return /^\d{1,4}$/.test(text) ? Number(text) : text;
}

/**
 * One row → the request a single booking with these values would send (same schema, same builder, same quote),
 * or the reason it cannot be sent. `reference` is the row's booking_id. A row whose external_user_id is empty
 * issues one promo code instead: the same specification without a traveler (lib/bookings/promo-request.ts).
 */
export function validateRow(
  fields: Record<CampaignField, string>,
  context: { quote: ReturnType<typeof quoter>; now: number; reference: string },
): ValidRow | InvalidRow {
  const destinations = fields.destination
    .split(";")
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  const externalUserId = fields.external_user_id;
  const promoCode = externalUserId === "";
  const fail = (error: string): InvalidRow => ({ ok: false, externalUserId, destinations, error });

  const departure = parseDeparture(fields.departure_date);
  if (!departure.ok) {
    return fail("departure_date: use a date-time with offset (2026-07-15T14:30:00+02:00) or a date (2026-07-15).");
  }
  const today = new Date(context.now).toISOString().slice(0, 10);
  if (departure.dateOnly ? departure.date < today : departure.instant <= context.now) {
    return fail("departure_date: the departure is in the past.");
  }

  const parsed = bookingDraftSchema.safeParse({
    travelers: promoCode ? PROMO_CODE_STAND_IN : externalUserId,
    specs: [
      {
        destinations,
        packageType: fields.package_type || "data-limited",
        size: fields.size || undefined,
        durationDays: durationCell(fields.package_duration),
      },
    ],
    departureDate: departure.date,
    departureTime: "",
    timeZone: "UTC",
    locale: fields.locale,
    customBranding: fields.custom_branding,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join(".");
    const field = FIELD_OF_PATH[path] ?? FIELD_OF_PATH[issue.path.slice(0, 3).join(".")] ?? "destination";
    return fail(`${field}: ${issue.message}`);
  }
  const draft = parsed.data;
  const spec = draft.specs[0]!;
  const request = {
    ...(promoCode ? buildPromoCodeRequest(draft, 1, context.reference) : buildBookingRequest(draft, context.reference)),
    departure_date: departure.value,
  };
  // The quote reads the specification that will be sent.
  const quote = context.quote(request.package_specifications[0]!);
  if (!quote.ok)
    return fail(`${quote.field === "package_duration" ? "package_duration" : "destination"}: ${quote.issue}`);
  return {
    ok: true,
    externalUserId,
    destinations: spec.destinations,
    request,
    promoCode,
    bundles: quote.bundles,
    costCents: quote.costCents,
    priceCents: quote.priceCents,
    currency: quote.currency,
    dateOnly: departure.dateOnly,
  };
}

/** The key that makes two rows "the same": one traveler, the same destinations (in any order). */
export function duplicateKey(externalUserId: string, destinations: string[]): string {
  return `${externalUserId}\u0000${[...destinations].sort().join(";")}`;
}
