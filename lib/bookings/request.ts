import { z } from "zod";
import { isBookingLocale } from "../hubby/locales";
import { SIZE_PATTERN, sizeToBytes } from "../hubby/sizes";
import { PACKAGE_TYPES, type PackageType } from "./package-types";
import { DATE, TIME, isTimeZone, wallClock, zonedDateTime } from "./departure";

/**
 * Turning the booking form into the exact body of POST /api/bookings (reference §4.1). Pure: the form, the
 * preview and the tests all build the request here, so what staff preview is byte for byte what is sent.
 */

export { PACKAGE_SIZES, PACKAGE_TYPES, type PackageType } from "./package-types";
export { departureSoonAfter, isTimeZone, offsetMinutes, wallClock, zonedDateTime, type ZonedResult } from "./departure";

/** A reference Hubby stores as the booking's `booking_id`, so a booking whose reply was lost can be found again. */
export function bookingReference(clientKey: string): string {
  return `hpc-${clientKey}`;
}

// ── The form ────────────────────────────────────────────────────────────────────────────────────────────────

const trimmed = z.string().trim();
const optionalText = (max: number, message: string) =>
  trimmed.max(max, message).transform((value) => value || undefined);

/**
 * One package of the form. Either a bundle picked from the catalog (`packageId`, sent as `package_id`; its
 * destination, type, size and days are the catalog's, filled in on the server) or destinations + type + a size and
 * duration the catalog's bundles sell (sent as `destination`, `package_type`, `size`, `package_duration`).
 */
export const specDraftSchema = z
  .object({
    destinations: z
      .array(trimmed.regex(/^[A-Z]{2,3}$/, "Pick a destination from the catalog."))
      .min(1, "Pick at least one destination.")
      .max(20, "At most 20 destinations per package."),
    packageType: z.enum(PACKAGE_TYPES, "Choose a package type."),
    size: trimmed.regex(SIZE_PATTERN, "Choose a size from the destination's bundles.").optional(),
    durationDays: z
      .number("Choose a duration from the destination's bundles.")
      .int("A duration is a whole number of days.")
      .min(1, "A duration is at least 1 day.")
      .max(365, "A duration is at most 365 days.")
      .optional(),
    packageId: trimmed
      .min(1, "Pick a bundle from the catalog.")
      .max(200, "Pick a bundle from the catalog.")
      .regex(/^[A-Za-z0-9_.:-]+$/, "Pick a bundle from the catalog.")
      .optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.packageId !== undefined && spec.destinations.length !== 1) {
      ctx.addIssue({ code: "custom", path: ["destinations"], message: "A bundle belongs to one destination." });
    }
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

/**
 * The booking forms post their package specifications as one JSON field; unreadable JSON becomes no
 * specifications, which bookingDraftSchema then reports on the field.
 */
export function specsFromJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return [];
  }
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
    locale: trimmed
      .refine((value) => value === "" || isBookingLocale(value), "Choose one of Hubby's locales or languages.")
      .default(""),
    customBranding: optionalText(100, "A branding key is at most 100 characters.").pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, "Use letters, digits, - and _ only.")
        .optional(),
    ),
  })
  .superRefine((draft, ctx) => {
    draft.specs.forEach((spec, index) => {
      // A picked bundle's size is the catalog's (lib/bookings/quote.ts resolveBundles).
      if (spec.packageType !== "unlimited" && !spec.size && spec.packageId === undefined) {
        ctx.addIssue({ code: "custom", path: ["specs", index, "size"], message: "Choose a size." });
      }
    });
    if (draft.departureTime) {
      const zoned = zonedDateTime(draft.departureDate, draft.departureTime, draft.timeZone);
      if (!zoned.ok) ctx.addIssue({ code: "custom", path: ["departureTime"], message: zoned.issue });
    }
  });
export type BookingDraft = z.output<typeof bookingDraftSchema>;

/** One entry of `package_specifications` as the console sends it (reference §4.1). */
export type PackageSpecificationRequest = {
  external_user_id: string;
  /** Absent with a package_id, which Hubby takes on its own. */
  destination?: string | string[];
  package_type?: PackageType;
  size?: string;
  package_duration?: number;
  package_id?: string;
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

/** What one package of the form asks Hubby for, without the traveler. */
export function packageSpecification(spec: SpecDraft): Omit<PackageSpecificationRequest, "external_user_id"> {
  // Hubby ignores every other field next to a package_id (reference §4.1), so none is sent.
  if (spec.packageId !== undefined) return { package_id: spec.packageId };
  return {
    destination: spec.destinations.length === 1 ? spec.destinations[0]! : [...spec.destinations],
    package_type: spec.packageType,
    ...(spec.packageType === "unlimited" || !spec.size ? {} : { size: spec.size }),
    ...(spec.durationDays === undefined ? {} : { package_duration: spec.durationDays }),
  };
}

/**
 * One booking for the whole trip: every traveler gets every package specification (traveler-major order, so
 * request index i is traveler ⌊i / specs⌋, spec i mod specs). Several destinations in one specification are sent
 * as an array, and Hubby routes them to the fewest packages (reference §4.1). Unlimited packages carry no size; a
 * duration is sent whenever the package has one, so Hubby's defaults never decide which bundle is bought.
 */
export function buildBookingRequest(draft: BookingDraft, reference: string): BookingRequest {
  const package_specifications = draft.travelers.flatMap((externalUserId) =>
    draft.specs.map((spec) => ({ external_user_id: externalUserId, ...packageSpecification(spec) })),
  );
  return {
    booking_id: reference,
    departure_date: departureValue(draft),
    ...(draft.locale ? { locale: draft.locale } : {}),
    ...(draft.customBranding ? { custom_branding: draft.customBranding } : {}),
    package_specifications,
  };
}

/**
 * Why a departure cannot be booked: it has passed on the clock of its time zone (a date alone counts for its whole
 * day there). Hubby refuses a departure in the past ("must be a future date"), so the form refuses it before the
 * preview. `now` is a parameter so the check is pure.
 */
export function pastDeparture(
  draft: Pick<BookingDraft, "departureDate" | "departureTime" | "timeZone">,
  now: number,
): { field: "departureDate" | "departureTime"; message: string } | undefined {
  const clock = wallClock(draft.timeZone, now);
  const there = `it is ${clock.date} ${clock.time} in ${draft.timeZone}`;
  if (draft.departureDate < clock.date) {
    return { field: "departureDate", message: `This day has passed: ${there}.` };
  }
  if (!draft.departureTime) return undefined;
  const zoned = zonedDateTime(draft.departureDate, draft.departureTime, draft.timeZone);
  if (zoned.ok && zoned.instant <= now) {
    return { field: "departureTime", message: `This time has passed: ${there}.` };
  }
  return undefined;
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
    if (name === "package_type") return `specs.${index}.packageType`;
    if (name === "package_id") return `specs.${index}.packageId`;
    // The size and duration are one choice on the form.
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
