import { z } from "zod";
import type { HandledEvent, ParsedEvent } from "./envelope";
import { isStorableDate, STORABLE_YEARS } from "../storable";

/**
 * What one event says about the console's model, as plain facts. Pure, so the order-independence of the
 * projection can be reasoned about (and property-tested) on the SQL merge rules alone.
 */

export type Facts = {
  at: Date;
  eventType: string;
  externalUserId: string | null;
  bookingId: string | null;
  packageId: string | null;
  esim?: { iccid: string; state: "installed" | "removed" };
  booking?: {
    departureDate: string | null;
    /** departureDate as an instant; a date alone reads as 00:00 UTC that day. */
    departsAt: Date | null;
    withinCutoff?: { esimInstalled: boolean | null };
    aboutToDepart?: { esimInstalled: boolean | null };
  };
  pkg?: {
    destination: string | null;
    size: string | null;
    packageType: string | null;
    activatedAt: Date | null;
    expiresAt: Date | null;
    durationDays: number | null;
    usage?: {
      percent: number;
      usedBytes: bigint | null;
      remainingBytes: bigint | null;
      elapsedDays: number | null;
      remainingDays: number | null;
    };
  };
  /** `redeemedAt` as Hubby wrote it; `redeemedOn` the instant it names (the event's time when it names none). */
  promo?: { promoCode: string; bookingId: string; redeemedAt: string; redeemedOn: Date };
};

export class FactsError extends Error {}

const id = z.string().min(1).max(200);
const optionalId = z.union([id, z.null()]).optional();
const bytes = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .optional()
  .nullable();
const count = z.number().nonnegative().optional().nullable();
const text = z.string().max(200).optional().nullable();

const schemas = {
  usage: z.object({
    external_user_id: id,
    booking_id: optionalId,
    package_id: id,
    destination: z.union([text, z.array(z.string())]),
    size: text,
    package_type: text,
    used_bytes: bytes,
    remaining_bytes: bytes,
    duration_days: count,
    elapsed_days: count,
    remaining_days: count,
    usage_percent: z.number().optional(),
  }),
  esim: z.object({ external_user_id: id, booking_id: optionalId, iccid: z.string().min(1).max(40) }),
  activated: z.object({
    external_user_id: id,
    booking_id: optionalId,
    package_id: id,
    destination: z.union([text, z.array(z.string())]),
    size: text,
    activated_at: text,
    expires_at: text,
  }),
  promo: z.object({ promocode: id, booking_id: id, redeemed_at: z.string().max(100).optional() }),
  booking: z.object({
    external_user_id: id,
    booking_id: id,
    departure_date: text,
    esim_installed: z.boolean().optional().nullable(),
  }),
  purchase: z.object({
    external_user_id: id,
    package_id: id,
    booking_id: optionalId,
    destination: z.union([text, z.array(z.string())]),
    size: text,
    package_type: text,
  }),
};

function parse<T extends z.ZodType>(schema: T, data: unknown, eventType: string): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new FactsError(`${eventType}: data.${issue.path.join(".") || "?"} ${issue.message}`);
}

const toDate = (value: string | null | undefined) => {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
};
/** A departure as an instant: a date alone (which Hubby accepts) reads as 00:00 UTC that day. */
export const departureInstant = (value: string | null | undefined) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? toDate(`${value}T00:00:00Z`) : toDate(value);
const toBigInt = (value: number | string | null | undefined) =>
  value === null || value === undefined ? null : BigInt(value);
const destinationText = (value: string | string[] | null | undefined) =>
  Array.isArray(value) ? value.join(",") : (value ?? null);
const whole = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value));

type PackageFields = {
  destination?: string | string[] | null;
  size?: string | null;
  package_type?: string | null;
};

/** The package columns every package event fills; activation and usage are added by the events that carry them. */
function packageFacts(d: PackageFields, extra: Partial<NonNullable<Facts["pkg"]>> = {}): NonNullable<Facts["pkg"]> {
  return {
    destination: destinationText(d.destination),
    size: d.size ?? null,
    packageType: d.package_type ?? null,
    activatedAt: null,
    expiresAt: null,
    durationDays: null,
    ...extra,
  };
}

/**
 * A date field the database can store, or a FactsError naming it: a date outside the years PostgreSQL reads would
 * fail the whole statement, and projecting the event without it (or at another time) would record a wrong state.
 */
function storableDate(date: Date | null, field: string, value: string | null | undefined, eventType: string) {
  if (date && !isStorableDate(date)) {
    throw new FactsError(
      `${eventType}: ${field} "${(value ?? "").slice(0, 100)}" is outside the years ${STORABLE_YEARS}.`,
    );
  }
  return date;
}

export function factsFor(event: ParsedEvent & { eventType: HandledEvent }, receivedAt: Date): Facts {
  const type = event.eventType;
  const at = storableDate(event.eventAt, "timestamp", event.eventAt?.toISOString(), type) ?? receivedAt;
  const base = { at, eventType: type };

  if (type.startsWith("package.usage.")) {
    const d = parse(schemas.usage, event.data, type);
    const percent = Number(/package\.usage\.(\d+)_percent/.exec(type)![1]);
    return {
      ...base,
      externalUserId: d.external_user_id,
      bookingId: d.booking_id ?? null,
      packageId: d.package_id,
      pkg: packageFacts(d, {
        durationDays: whole(d.duration_days),
        usage: {
          percent,
          usedBytes: toBigInt(d.used_bytes),
          remainingBytes: toBigInt(d.remaining_bytes),
          elapsedDays: whole(d.elapsed_days),
          remainingDays: whole(d.remaining_days),
        },
      }),
    };
  }
  if (type === "esim.installed" || type === "esim.removed") {
    const d = parse(schemas.esim, event.data, type);
    return {
      ...base,
      externalUserId: d.external_user_id,
      bookingId: d.booking_id ?? null,
      packageId: null,
      esim: { iccid: d.iccid, state: type === "esim.installed" ? "installed" : "removed" },
    };
  }
  if (type === "package.activated") {
    const d = parse(schemas.activated, event.data, type);
    return {
      ...base,
      externalUserId: d.external_user_id,
      bookingId: d.booking_id ?? null,
      packageId: d.package_id,
      pkg: packageFacts(
        { destination: d.destination, size: d.size },
        {
          activatedAt: storableDate(toDate(d.activated_at), "data.activated_at", d.activated_at, type),
          expiresAt: storableDate(toDate(d.expires_at), "data.expires_at", d.expires_at, type),
        },
      ),
    };
  }
  if (type === "promo_code.redeemed") {
    const d = parse(schemas.promo, event.data, type);
    return {
      ...base,
      externalUserId: null,
      bookingId: d.booking_id,
      packageId: null,
      promo: {
        promoCode: d.promocode,
        bookingId: d.booking_id,
        redeemedAt: d.redeemed_at ?? at.toISOString(),
        redeemedOn: storableDate(toDate(d.redeemed_at), "data.redeemed_at", d.redeemed_at, type) ?? at,
      },
    };
  }
  if (type === "booking.within_cutoff" || type === "booking.about_to_depart") {
    const d = parse(schemas.booking, event.data, type);
    const flag = { esimInstalled: d.esim_installed ?? null };
    return {
      ...base,
      externalUserId: d.external_user_id,
      bookingId: d.booking_id,
      packageId: null,
      booking: {
        departureDate: d.departure_date ?? null,
        departsAt: storableDate(departureInstant(d.departure_date), "data.departure_date", d.departure_date, type),
        ...(type === "booking.within_cutoff" ? { withinCutoff: flag } : { aboutToDepart: flag }),
      },
    };
  }
  // package.purchased, topup.completed
  const d = parse(schemas.purchase, event.data, type);
  return {
    ...base,
    externalUserId: d.external_user_id,
    bookingId: d.booking_id ?? null,
    packageId: d.package_id,
    pkg: packageFacts(d),
  };
}
