import "server-only";
import { z } from "zod";
import { may, type Asker } from "../auth/roles";
import { loadCatalog } from "../catalog/catalog";
import { db } from "../db";
import { ActionError, ValidationError, type FieldErrors } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { HubbyClient } from "../hubby/client";
import { HubbyApiError } from "../hubby/errors";
import { quoteRequest, resolveBundles, type BookingQuote } from "./quote";
import {
  bookingDraftSchema,
  bookingReference,
  buildBookingRequest,
  bytesPerTraveler,
  formFieldForHubbyField,
  pastDeparture,
  specsFromJson,
  type BookingDraft,
  type BookingRequest,
} from "./request";
import { bytesToSize } from "../hubby/sizes";
import { createIntent, type Actor, type IntentState } from "./intents";
import { describeWindow, supportTopUpLimit, type SupportTopUpLimit } from "./settings";

/**
 * Everything the console checks before a booking may be previewed or sent: the form, the role rules (support
 * only tops up an existing traveler, with a reason, within the admin's limit), the quote from the cached
 * catalog, and the warnings the preview shows. The same function runs for the preview and for the send. A form
 * mistake throws ValidationError (shown by its fields); a refusal (unknown traveler, over the limit) ActionError.
 */

/** The booking form as its actions parse it: the envelope (form key, kind, reason) and the draft (specs as JSON). */
export const bookingFormSchema = z.preprocess(
  (raw) =>
    typeof raw === "object" && raw !== null
      ? { ...raw, specs: specsFromJson((raw as { specs?: unknown }).specs) }
      : raw,
  z
    .object({
      clientKey: z.uuid("This form has expired: reload the page."),
      kind: z.enum(["issue", "top_up"]).catch("issue"),
      reason: z.string().trim().max(500, "At most 500 characters.").catch(""),
    })
    .and(bookingDraftSchema),
);
export type BookingForm = z.output<typeof bookingFormSchema>;

export type Prepared = {
  clientKey: string;
  kind: "issue" | "top_up";
  reason: string | null;
  draft: BookingDraft;
  request: BookingRequest;
  quote: BookingQuote;
  destinations: string[];
  warnings: string[];
  /** Set when the staff member's role tops up under the support limit: checked again, atomically, at send. */
  supportLimit: { traveler: string; bytes: number; limit: SupportTopUpLimit } | null;
};

type TravelerHubby = Pick<HubbyClient, "getUserDashboard">;

/** Known to the console (a webhook mentioned them) or to Hubby (it has a dashboard for them). */
export async function travelerExists(externalUserId: string, hubby: TravelerHubby): Promise<boolean> {
  const known = await db().traveler.findUnique({ where: { externalUserId }, select: { externalUserId: true } });
  if (known) return true;
  try {
    await hubby.getUserDashboard(externalUserId);
    return true;
  } catch (error) {
    if (error instanceof HubbyApiError && error.status === 404) return false;
    throw error;
  }
}

const DAY_MS = 86_400_000;

/** "traveler got destination" pairs issued in the last 24 hours (any intent that was or may have been sent). */
export async function recentDuplicates(travelers: string[], destinations: string[], clientKey: string) {
  const rows = await db().bookingIntent.findMany({
    where: {
      createdAt: { gte: new Date(Date.now() - DAY_MS) },
      status: { in: ["PENDING", "SENDING", "SENT", "UNKNOWN"] },
      clientKey: { not: clientKey },
      externalUserIds: { hasSome: travelers },
      destinations: { hasSome: destinations },
    },
    select: { id: true, externalUserIds: true, destinations: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return rows.flatMap((row) =>
    row.externalUserIds
      .filter((traveler) => travelers.includes(traveler))
      .flatMap((traveler) =>
        row.destinations
          .filter((destination) => destinations.includes(destination))
          .map((destination) => ({ intentId: row.id, traveler, destination, at: row.createdAt.toISOString() })),
      ),
  );
}

/**
 * `now` is when the departure must not have passed yet (the time the preview or the send is made).
 */
export async function prepareBooking(
  form: BookingForm,
  staff: Asker,
  hubby: TravelerHubby,
  now: number = Date.now(),
): Promise<Prepared> {
  const { clientKey, kind, reason, ...parsed } = form;
  const fieldErrors: FieldErrors = {};
  const add = (key: string, message: string) => (fieldErrors[key] ??= []).push(message);
  const check = () => {
    if (Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  };

  if (kind === "top_up") {
    if (reason.length < 3) add("reason", "Give the reason for this top-up (e.g. the ticket number).");
    if (parsed.travelers.length !== 1) add("travelers", "A top-up is for one traveler.");
  }
  // Hubby refuses a departure in the past; say so on the form, in the departure's own time zone.
  const past = pastDeparture(parsed, now);
  if (past) add(past.field, past.message);
  check();

  const catalog = await loadCatalog();
  if (catalog.length === 0) {
    throw new ValidationError({}, "The destination catalog is empty: refresh it on the Catalog screen first.");
  }
  const resolved = resolveBundles(parsed.specs, catalog);
  if (!resolved.ok) {
    for (const [key, message] of Object.entries(resolved.errors)) add(key, message);
    throw new ValidationError(fieldErrors);
  }
  const draft: BookingDraft = { ...parsed, specs: resolved.specs };
  if (kind === "top_up") {
    draft.specs.forEach((spec, index) => {
      if (spec.packageType !== "data-limited") {
        add(
          spec.packageId ? `specs.${index}.packageId` : `specs.${index}.packageType`,
          "Top-ups are always data-limited.",
        );
      }
    });
    check();
  }
  let supportLimit: Prepared["supportLimit"] = null;

  if (kind === "top_up") {
    const traveler = draft.travelers[0]!;
    if (!(await travelerExists(traveler, hubby))) {
      throw new ActionError(
        `No traveler ${traveler} is known to the console or to Hubby: a top-up needs an existing traveler.`,
        { fieldErrors: { travelers: ["Not an existing traveler."] } },
      );
    }
    // Those who may issue top up without a limit; the others (support) within the admin's.
    if (!may(staff, "bookings.issue")) {
      const limit = await supportTopUpLimit();
      supportLimit = { traveler, bytes: bytesPerTraveler(draft.specs), limit };
      throwOverSupportLimit(supportLimit, await supportTopUpUsage(traveler, limit.windowHours));
    }
  }

  // The quote reads the request that will be sent, so the preview prices exactly that.
  const request = buildBookingRequest(draft, bookingReference(clientKey));
  const quote = quoteRequest(request, catalog);
  quote.specs.forEach((spec, index) => {
    if (!spec.ok) {
      add(formFieldForHubbyField(`package_specifications[${index}].${spec.field}`, draft.specs.length), spec.issue);
    }
  });
  check();

  const destinations = [...new Set(draft.specs.flatMap((spec) => spec.destinations))];
  const warnings: string[] = [];
  if (!draft.departureTime) {
    warnings.push(
      "Departure is a date without a time: Hubby cannot send booking.about_to_depart (the reminder shortly before departure).",
    );
  }
  for (const duplicate of await recentDuplicates(draft.travelers, destinations, clientKey)) {
    warnings.push(
      `${duplicate.traveler} already got ${duplicate.destination} in the last 24 hours (${duplicate.at.slice(0, 16).replace("T", " ")} UTC).`,
    );
  }

  return { clientKey, kind, reason: reason || null, draft, request, quote, destinations, warnings, supportLimit };
}

type SqlRunner = Pick<Prisma.TransactionClient, "$queryRaw">;

/**
 * Bytes per traveler that support agents' top-ups for this traveler already count in the rolling window: every
 * top-up that was or may have been sent (not FAILED).
 */
export async function supportTopUpUsage(traveler: string, windowHours: number, runner: SqlRunner = db()) {
  const [row] = await runner.$queryRaw<{ used: bigint | null }[]>`
    SELECT sum("supportTopUpBytes") AS "used" FROM "BookingIntent"
    WHERE "supportTopUpBytes" IS NOT NULL AND "status" <> 'FAILED'
      AND "createdAt" >= now() - make_interval(hours => ${windowHours}::int)
      AND ${traveler} = ANY("externalUserIds")`;
  return Number(row?.used ?? 0);
}

/** ActionError (audited as refused) when this top-up would take the traveler over the support limit. */
function throwOverSupportLimit(check: NonNullable<Prepared["supportLimit"]>, used: number): void {
  const { limit, bytes } = check;
  if (used + bytes <= limit.bytes) return;
  const window = describeWindow(limit.windowHours);
  const already = used > 0 ? `${bytesToSize(used)} already topped up in that time; ` : "";
  const left = Math.max(0, limit.bytes - used);
  throw new ActionError(
    `Support may top up at most ${limit.size} per traveler in ${window}: ${already}this is ${bytesToSize(bytes)}.`,
    {
      fieldErrors: {
        "specs.0.size": [left > 0 ? `At most ${bytesToSize(left)} more in ${window}.` : `Nothing more in ${window}.`],
      },
    },
  );
}

export type WrittenIntent = { intent: IntentState; created: boolean };

/** What an intent records of a prepared booking or promo-code issue: its form's key, the exact request, the money. */
export function intentOf<Request>(prepared: {
  clientKey: string;
  request: Request;
  quote: BookingQuote;
  destinations: string[];
}) {
  return {
    clientKey: prepared.clientKey,
    request: prepared.request,
    quote: prepared.quote,
    destinations: prepared.destinations,
    costCents: prepared.quote.total.costCents,
    priceCents: prepared.quote.total.priceCents,
    currency: prepared.quote.currency,
  };
}

/**
 * Writes the intent for a prepared booking. A support top-up is checked against the limit again in the same
 * transaction that writes it, under a per-traveler advisory lock, so two tabs (or two instances) cannot both pass
 * the check before either is written.
 */
export async function writeIntent(prepared: Prepared, actor: NonNullable<Actor>): Promise<WrittenIntent> {
  const input = { ...intentOf(prepared), kind: prepared.kind, reason: prepared.reason, actor };
  const check = prepared.supportLimit;
  if (!check) return createIntent(input);
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`support-top-up:${check.traveler}`}))::text`;
    const existing = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id"::text AS "id" FROM "BookingIntent" WHERE "clientKey" = ${prepared.clientKey}`;
    if (existing.length === 0) {
      throwOverSupportLimit(check, await supportTopUpUsage(check.traveler, check.limit.windowHours, tx));
    }
    return createIntent({ ...input, supportTopUpBytes: check.bytes }, { runner: tx });
  });
}
