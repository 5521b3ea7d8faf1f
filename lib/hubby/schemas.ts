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

export const packageSpecificationInputSchema = z.object({
  external_user_id: z.string().min(1).max(200),
  destination: z.union([destinationCodeSchema, z.array(destinationCodeSchema).min(1)]),
  size: sizeSchema.optional(),
  package_type: packageTypeSchema.optional(),
  package_duration: z.number().int().positive().optional(),
  package_id: z.string().optional(),
});

export const createBookingInputSchema = z.object({
  departure_date: z.string().min(10),
  locale: z.string().optional(),
  custom_branding: z.string().optional(),
  package_specifications: z.array(packageSpecificationInputSchema).min(1),
});
export type CreateBookingInput = z.infer<typeof createBookingInputSchema>;

export const createBookingResultSchema = z.looseObject({
  id: z.string(),
  package_specifications: z
    .array(
      z.looseObject({
        external_user_id: z.string().optional(),
        package_id: z.string().optional(),
        destination: z.union([z.string(), z.array(z.string())]).optional(),
        size: z.string().optional(),
        status: z.string().optional(),
      }),
    )
    .default([]),
});
export type CreateBookingResult = z.infer<typeof createBookingResultSchema>;

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

export const redeemPackageResultSchema = z.looseObject({
  package_queue: packageQueueSchema.partial({ id: true }),
  current_esim: currentEsimSchema.nullable().optional(),
  current_esim_packages: z.array(currentEsimPackageSchema).default([]),
});

export const deviceSchema = z.looseObject({ phone_brand: z.string(), phone_model: z.string() });
export const deviceListSchema = z.looseObject({ devices: z.array(deviceSchema) });
export const deviceCompatibilitySchema = z.looseObject({
  phone_brand: z.string(),
  phone_model: z.string(),
  is_compatible: z.boolean(),
});

export const redirectTokenSchema = z.looseObject({
  redirect_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

/** The instructions reply depends on `format` and is undocumented: keep it as it came. */
export const instructionsSchema = z.unknown();

/** Destinations: the exact JSON is undocumented (reference §4.6); keep the fields §6.4 names, tolerate the rest. */
export const destinationSchema = z.looseObject({
  id: z.string(),
  name: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
  iso3: z.string().optional(),
  type: z.string().optional(),
});
export const destinationListSchema = z.array(destinationSchema);
