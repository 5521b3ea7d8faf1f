import { z } from "zod";
import { SUPPORTED_LOCALES } from "../hubby/locales";

/**
 * Turning the booking form into the exact body of POST /api/bookings (reference §4.1). Pure: the form, the
 * preview and the tests all build the request here, so what staff preview is byte for byte what is sent.
 */

export const PACKAGE_TYPES = ["data-limited", "starter", "unlimited", "time-limited"] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

/** The sizes Hubby documents (reference §4.1). */
export const PACKAGE_SIZES = ["500MB", "1GB", "3GB", "5GB", "10GB", "20GB"] as const;

const MB = 1024 ** 2;
const GB = 1024 ** 3;

/** `"1GB"` → 1073741824, `"500MB"` → 524288000 (binary units, as Hubby's bundles count bytes); else undefined. */
export function sizeToBytes(size: string): number | undefined {
  const match = /^([0-9]\d*(?:\.\d+)?)(MB|GB)$/.exec(size);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (match[2] === "GB" ? GB : MB));
}

/** 1073741824 → "1GB", 524288000 → "500MB". */
export function bytesToSize(bytes: number): string {
  if (bytes >= GB) return `${Number((bytes / GB).toFixed(2))}GB`;
  return `${Number((bytes / MB).toFixed(2))}MB`;
}

/** A reference Hubby stores as the booking's `booking_id`, so a booking whose reply was lost can be found again. */
export function bookingReference(clientKey: string): string {
  return `hpc-${clientKey}`;
}

// ── Departure time ──────────────────────────────────────────────────────────────────────────────────────────

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const zoneChecks = new Map<string, boolean>();

/** Cached: building an Intl.DateTimeFormat per check dominated validating a 50,000-row campaign file. */
export function isTimeZone(value: string): boolean {
  const known = zoneChecks.get(value);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    valid = true;
  } catch {
    valid = false;
  }
  if (zoneChecks.size < 1000) zoneChecks.set(value, valid);
  return valid;
}

/** The zone's UTC offset in minutes at an instant (e.g. +120 for Amsterdam in summer). */
export function offsetMinutes(timeZone: string, instant: number): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(new Date(instant))
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? "");
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -minutes : minutes;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export type ZonedResult = { ok: true; iso: string; instant: number } | { ok: false; issue: string };

/**
 * A wall-clock date and time in a time zone → ISO 8601 with that moment's offset (`2026-07-15T14:30:00+02:00`).
 * A time skipped by a clock change (02:30 on a spring-forward night) is refused; a repeated one takes the first.
 */
export function zonedDateTime(date: string, time: string, timeZone: string): ZonedResult {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d) return { ok: false, issue: "Enter the date as YYYY-MM-DD." };
  if (!t) return { ok: false, issue: "Enter the time as HH:MM (24-hour)." };
  if (!isTimeZone(timeZone)) return { ok: false, issue: "Choose a time zone." };
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  if (new Date(wall).toISOString().slice(0, 10) !== date) return { ok: false, issue: "That date does not exist." };
  // Two passes settle the offset on either side of a clock change; the earlier offset wins for repeated times.
  const before = offsetMinutes(timeZone, wall - 36 * 3_600_000);
  const candidates = [before, offsetMinutes(timeZone, wall - before * 60_000)];
  for (const offset of candidates) {
    const instant = wall - offset * 60_000;
    if (offsetMinutes(timeZone, instant) === offset) {
      return { ok: true, iso: `${date}T${time}:00${formatOffset(offset)}`, instant };
    }
  }
  return { ok: false, issue: `${time} does not exist on ${date} in ${timeZone} (the clocks change).` };
}

// ── The form ────────────────────────────────────────────────────────────────────────────────────────────────

const trimmed = z.string().trim();
const optionalText = (max: number, message: string) =>
  trimmed.max(max, message).transform((value) => value || undefined);

export const specDraftSchema = z.object({
  destinations: z
    .array(trimmed.regex(/^[A-Z]{2,3}$/, "Pick a destination from the catalog."))
    .min(1, "Pick at least one destination.")
    .max(20, "At most 20 destinations per package."),
  packageType: z.enum(PACKAGE_TYPES, "Choose a package type."),
  size: z.enum(PACKAGE_SIZES, "Choose a size from the destination's bundles.").optional(),
});
export type SpecDraft = z.infer<typeof specDraftSchema>;

/** Travelers typed one per line (or comma-separated): external_user_id values, de-duplicated in order. */
export function parseTravelers(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\n,]/)
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ];
}

export const bookingDraftSchema = z
  .object({
    travelers: z
      .string()
      .transform(parseTravelers)
      .pipe(
        z
          .array(z.string().max(200, "An external_user_id is at most 200 characters."))
          .min(1, "Enter at least one traveler's external_user_id.")
          .max(50, "At most 50 travelers per booking."),
      ),
    specs: z.array(specDraftSchema).min(1, "Add at least one package.").max(10, "At most 10 packages per booking."),
    departureDate: trimmed.regex(DATE, "Enter the departure date."),
    departureTime: trimmed.regex(TIME, "Enter the time as HH:MM (24-hour).").or(z.literal("")).default(""),
    timeZone: trimmed.refine(isTimeZone, "Choose a time zone."),
    locale: z.enum(SUPPORTED_LOCALES, "Choose one of Hubby's locales.").or(z.literal("")).default(""),
    customBranding: optionalText(100, "A branding key is at most 100 characters.").pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, "Use letters, digits, - and _ only.")
        .optional(),
    ),
  })
  .superRefine((draft, ctx) => {
    draft.specs.forEach((spec, index) => {
      if (spec.packageType !== "unlimited" && !spec.size) {
        ctx.addIssue({ code: "custom", path: ["specs", index, "size"], message: "Choose a size." });
      }
    });
    if (draft.departureTime) {
      const zoned = zonedDateTime(draft.departureDate, draft.departureTime, draft.timeZone);
      if (!zoned.ok) ctx.addIssue({ code: "custom", path: ["departureTime"], message: zoned.issue });
    }
  });
export type BookingDraft = z.output<typeof bookingDraftSchema>;

export type PackageSpecificationRequest = {
  external_user_id: string;
  destination: string | string[];
  package_type: PackageType;
  size?: string;
};

export type BookingRequest = {
  booking_id: string;
  departure_date: string;
  locale?: string;
  custom_branding?: string;
  package_specifications: PackageSpecificationRequest[];
};

/** The departure as sent: date-only when no time was given (then booking.about_to_depart cannot fire). */
export function departureValue(draft: Pick<BookingDraft, "departureDate" | "departureTime" | "timeZone">): string {
  if (!draft.departureTime) return draft.departureDate;
  const zoned = zonedDateTime(draft.departureDate, draft.departureTime, draft.timeZone);
  if (!zoned.ok) throw new Error(zoned.issue);
  return zoned.iso;
}

/**
 * One booking for the whole trip: every traveler gets every package specification (traveler-major order, so
 * request index i is traveler ⌊i / specs⌋, spec i mod specs). Several destinations in one specification are sent
 * as an array, and Hubby routes them to the fewest packages (reference §4.1). Unlimited packages carry no size.
 */
export function buildBookingRequest(draft: BookingDraft, reference: string): BookingRequest {
  const package_specifications = draft.travelers.flatMap((externalUserId) =>
    draft.specs.map((spec) => ({
      external_user_id: externalUserId,
      destination: spec.destinations.length === 1 ? spec.destinations[0]! : [...spec.destinations],
      package_type: spec.packageType,
      ...(spec.packageType === "unlimited" || !spec.size ? {} : { size: spec.size }),
    })),
  );
  return {
    booking_id: reference,
    departure_date: departureValue(draft),
    ...(draft.locale ? { locale: draft.locale } : {}),
    ...(draft.customBranding ? { custom_branding: draft.customBranding } : {}),
    package_specifications,
  };
}

/** Data per traveler in bytes (unlimited counts as no limit: Infinity). */
export function bytesPerTraveler(specs: SpecDraft[]): number {
  return specs.reduce(
    (sum, spec) => sum + (spec.packageType === "unlimited" ? Infinity : (sizeToBytes(spec.size ?? "") ?? 0)),
    0,
  );
}

/**
 * Where a Hubby validation error belongs on the form: `package_specifications[5].size` with 2 specs per traveler
 * is the size of package 2 (`specs.1.size`); an external_user_id error belongs to the travelers field.
 */
export function formFieldForHubbyField(field: string, specCount: number): string {
  const spec = /^package_specifications\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (spec) {
    const index = Number(spec[1]) % Math.max(1, specCount);
    const name = spec[2];
    if (name === "external_user_id") return "travelers";
    if (name === "destination") return `specs.${index}.destinations`;
    if (name === "package_type" || name === "package_duration") return `specs.${index}.packageType`;
    return `specs.${index}.size`;
  }
  const top: Record<string, string> = {
    departure_date: "departureDate",
    locale: "locale",
    custom_branding: "customBranding",
    booking_id: "form",
    package_specifications: "specs",
  };
  return top[field] ?? "form";
}
