import { z } from "zod";

/**
 * zod schemas for Hubby's replies (reference §3–§4). Objects are loose: extra fields are tolerated and kept, a
 * missing required field fails parsing (and becomes a HubbyApiError of kind "invalid_response").
 */

export const errorEnvelopeSchema = z.looseObject({
  success: z.literal(false).optional(),
  error: z
    .looseObject({
      code: z.union([z.string(), z.number()]).optional(),
      message: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  message: z.string().optional(),
});

export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.looseObject({ success: z.literal(true), message: z.string().optional(), data });
}

export const packageTypeSchema = z.enum(["data-limited", "time-limited", "starter", "unlimited"]);
export const sizeSchema = z.string().regex(/^[0-9]\d*(\.\d+)?(MB|GB)$/, "must look like 500MB or 1GB");
export const destinationCodeSchema = z.string().regex(/^[A-Z]{2,3}$/, "must be an ISO2, ISO3 or region code");

/**
 * One `package_specifications[]` entry (reference §4.1): destination + size + type + duration (days), or a direct
 * `package_id`. With a package_id every other field is ignored, so a destination is required only without one.
 */
export const packageSpecificationInputSchema = z
  .object({
    /** Omitted in the promo-code flow: the booking then returns promo codes instead of queueing a package (§4.1). */
    external_user_id: z.string().min(1).max(200).optional(),
    destination: z.union([destinationCodeSchema, z.array(destinationCodeSchema).min(1)]).optional(),
    size: sizeSchema.optional(),
    package_type: packageTypeSchema.optional(),
    package_duration: z.number().int().positive().optional(),
    package_id: z.string().min(1).optional(),
  })
  .refine((spec) => spec.destination !== undefined || spec.package_id !== undefined, {
    message: "is required unless package_id is given",
    path: ["destination"],
  });

export const createBookingInputSchema = z.object({
  /** The partner's own reference (min 3 characters); the console sends one so a lost reply can be reconciled. */
  booking_id: z.string().min(3).max(100).optional(),
  departure_date: z.string().min(10),
  locale: z.string().optional(),
  custom_branding: z.string().optional(),
  package_specifications: z.array(packageSpecificationInputSchema).min(1),
});
export type CreateBookingInput = z.infer<typeof createBookingInputSchema>;

/** A field read as text when it is text (or a number), and dropped otherwise: never a reason to refuse a reply. */
const lenientText = z
  .unknown()
  .transform((value) => (typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined))
  .optional();
/** A number, or text holding one ("365"); anything else is dropped. */
const lenientNumber = z
  .unknown()
  .transform((value) => {
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return typeof number === "number" && Number.isFinite(number) ? number : undefined;
  })
  .optional();

/**
 * One promo code of a booking made without external_user_id, with the fields of the reference's promo-code example
 * (§4.1): `destination` is a country name there and `iso3` its code. The simplified `{code, claim_link}` form the
 * how-hubby-works page shows is read too. Only the code itself is required; any other field of an unexpected type
 * is dropped rather than failing the reply of a booking that was paid for.
 */
export const promoCodeSchema = z.preprocess(
  (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const code = value as Record<string, unknown>;
    if (code.promo_code !== undefined || typeof code.code !== "string") return value;
    return { ...code, promo_code: code.code, claim_url: code.claim_url ?? code.claim_link };
  },
  z.looseObject({
    promo_code: z.string().trim().min(1),
    uuid: lenientText,
    claim_url: lenientText,
    deep_link_url: lenientText,
    package_id: lenientText,
    package_size: lenientText,
    destination: lenientText,
    iso3: lenientText,
    package_type: lenientText,
    package_duration: lenientNumber,
  }),
);
export type PromoCode = z.output<typeof promoCodeSchema>;

/** A reply's promo codes, each read on its own: one that has no code cannot be used and is left out. */
export const promoCodeListSchema = z
  .array(z.unknown())
  .catch([])
  .transform((items) =>
    items.flatMap((item) => {
      const parsed = promoCodeSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    }),
  );

/** One package specification of a booking, as `POST /api/bookings` answers it and `GET /api/bookings` lists it. */
const bookedSpecificationSchema = z.looseObject({
  external_user_id: z.string().optional(),
  package_id: z.string().optional(),
  destination: z.union([z.string(), z.array(z.string())]).optional(),
  size: z.string().optional(),
  package_type: z.string().optional(),
  status: z.string().optional(),
});

const bookingResultObjectSchema = z.looseObject({
  id: z.string(),
  package_specifications: z.array(bookedSpecificationSchema).default([]),
  promo_codes: promoCodeListSchema.default([]),
});

/**
 * The native and WebView guides show `data` as one booking; the promo-code flow shows an array of them
 * (reference §8 q7). Accept both and hand the caller one booking: the first one's id, with the specifications and
 * promo codes of all of them (one POST makes one booking; codes are never dropped).
 */
export const createBookingResultSchema = z.union([
  bookingResultObjectSchema,
  z
    .array(bookingResultObjectSchema)
    .min(1)
    .transform((bookings) => ({
      ...bookings[0]!,
      package_specifications: bookings.flatMap((booking) => booking.package_specifications),
      promo_codes: bookings.flatMap((booking) => booking.promo_codes),
    })),
]);
export type CreateBookingResult = z.infer<typeof bookingResultObjectSchema>;

/** A stored booking as `GET /api/bookings` lists it. The shape is undocumented (reference §4.2): keep it loose. */
export const bookingSchema = z.looseObject({
  id: z.string(),
  booking_id: z.string().nullable().optional(),
  status: z.string().optional(),
  departure_date: z.string().nullable().optional(),
  created_at: z.string().optional(),
  locale: z.string().nullable().optional(),
  custom_branding: z.string().nullable().optional(),
  package_specifications: z.array(bookedSpecificationSchema).default([]),
});
export type Booking = z.infer<typeof bookingSchema>;

const pageMetaSchema = z.looseObject({
  page: z.number().optional(),
  per_page: z.number().optional(),
  perPage: z.number().optional(),
  total: z.number().optional(),
  total_pages: z.number().optional(),
  totalPages: z.number().optional(),
});

/**
 * `data` may be the array itself or an object holding it; paging meta may sit beside `data` or inside it. Each
 * booking is read on its own: one the console cannot read is counted in `unreadable` rather than failing the page.
 */
const bookingItems = z.array(z.unknown());
export const bookingListReplySchema = z
  .looseObject({
    success: z.literal(true),
    data: z.union([
      bookingItems,
      z.looseObject({ bookings: bookingItems, pagination: pageMetaSchema.optional() }),
      z.looseObject({ items: bookingItems, pagination: pageMetaSchema.optional() }),
    ]),
    meta: pageMetaSchema.optional(),
    pagination: pageMetaSchema.optional(),
  })
  .transform((reply) => {
    const data = reply.data;
    const items: unknown[] = Array.isArray(data)
      ? data
      : Array.isArray(data.bookings)
        ? data.bookings
        : Array.isArray(data.items)
          ? data.items
          : [];
    const parsed = items.map((item) => bookingSchema.safeParse(item));
    const bookings = parsed.flatMap((result) => (result.success ? [result.data] : []));
    const meta: z.infer<typeof pageMetaSchema> =
      reply.meta ?? reply.pagination ?? (Array.isArray(data) ? undefined : data.pagination) ?? {};
    return {
      bookings,
      unreadable: items.length - bookings.length,
      page: meta.page,
      perPage: meta.per_page ?? meta.perPage,
      total: meta.total,
      totalPages: meta.total_pages ?? meta.totalPages,
    };
  });
export type BookingList = z.infer<typeof bookingListReplySchema>;

export const packageQueueSchema = z.looseObject({
  id: z.string(),
  uuid: z.string().optional(),
  type: z.string().optional(),
  package_specification: z
    .looseObject({ iso3: z.string().optional(), bytes: z.number().optional(), duration_days: z.number().optional() })
    .optional(),
  created_at: z.string().optional(),
  redeemed_at: z.string().nullable().optional(),
});

export const esimStatusSchema = z.string();

export const currentEsimSchema = z.looseObject({
  provider: z.string().optional(),
  name: z.string().optional(),
  qr: z.string().optional(),
  iccid: z.string(),
  total_data: z.number().optional(),
  data_left: z.number().optional(),
  data_used: z.union([z.boolean(), z.number()]).optional(),
  status: esimStatusSchema,
  time_assigned: z.string().optional(),
});

export const currentEsimPackageSchema = z.looseObject({
  template: z.string().optional(),
  destination_bundle: z.string().optional(),
  destination_iso3: z.string().optional(),
  assigned_at: z.string().optional(),
  status: z.string().optional(),
  total_bytes: z.number().optional(),
});

export const userDashboardSchema = z.looseObject({
  user: z.looseObject({
    id: z.string().optional(),
    external_user_id: z.string(),
    has_universal_esim: z.boolean(),
    current_universal_esim: z.string().nullable().optional(),
  }),
  package_queues: z.array(packageQueueSchema).default([]),
  current_esim: currentEsimSchema.nullable().optional(),
  current_esim_packages: z.array(currentEsimPackageSchema).default([]),
  partner: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
});
export type UserDashboard = z.infer<typeof userDashboardSchema>;

export type PackageQueue = z.infer<typeof packageQueueSchema>;
export type CurrentEsim = z.infer<typeof currentEsimSchema>;
export type CurrentEsimPackage = z.infer<typeof currentEsimPackageSchema>;

export const redeemPackageResultSchema = z.looseObject({
  package_queue: packageQueueSchema.partial({ id: true }),
  current_esim: currentEsimSchema.nullable().optional(),
  current_esim_packages: z.array(currentEsimPackageSchema).default([]),
});

export type RedeemPackageResult = z.infer<typeof redeemPackageResultSchema>;

export const deviceSchema = z.looseObject({ phone_brand: z.string(), phone_model: z.string() });
export const deviceListSchema = z.looseObject({ devices: z.array(deviceSchema) });
export const deviceCompatibilitySchema = z.looseObject({
  phone_brand: z.string(),
  phone_model: z.string(),
  is_compatible: z.boolean(),
});

export type DeviceCompatibility = z.infer<typeof deviceCompatibilitySchema>;
export type Device = z.infer<typeof deviceSchema>;

export const redirectTokenSchema = z.looseObject({
  redirect_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

/** The instructions reply depends on `format` and is undocumented: keep it as it came. */
export const instructionsSchema = z.union([
  z.looseObject({ format: z.literal("html").optional(), html: z.string() }),
  z.looseObject({ format: z.string().optional() }),
  z.string(),
]);
export type Instructions = z.infer<typeof instructionsSchema>;

/** Destinations: the exact JSON is undocumented (reference §4.6); keep the fields §6.4 names, tolerate the rest. */
export const destinationSchema = z.looseObject({
  id: z.string(),
  name: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
  iso3: z.string().optional(),
  type: z.string().optional(),
});
export const destinationListSchema = z.union([
  z.array(destinationSchema),
  z.looseObject({ destinations: z.array(destinationSchema) }).transform((value) => value.destinations),
]);
export type Destination = z.infer<typeof destinationSchema>;

export const bundleSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  label: z.string().optional(),
  size_in_bytes: z.number().nullable().optional(),
  duration_in_days: z.number().optional(),
  b2b_price: z.number().optional(),
  b2c_price: z.number().optional(),
  currency: z.string().optional(),
});
export const destinationDetailSchema = destinationSchema.extend({ bundles: z.array(bundleSchema).default([]) });
export type DestinationDetail = z.infer<typeof destinationDetailSchema>;
