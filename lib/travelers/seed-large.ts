import "server-only";
import type { SqlRunner } from "../db";
import { ensureWebhookMonths } from "../webhooks/partitions";

/**
 * Synthetic traveler data at production scale for benchmarks (`npm run db:seed:large`, bench/travelers.ts), made
 * with set-based SQL: no row leaves the server. Every traveler lives through trips of eight webhook steps
 * (booking.within_cutoff, esim.installed or promo_code.redeemed, booking.about_to_depart, package.activated,
 * usage 20/50/80 %, then a top-up, an in-app purchase or esim.removed), cut off after 5–35 events (20 on average,
 * paired so the total is exactly 20 per traveler), with the last event 0–90 days ago. So departures fall in the past
 * and the coming week, usage stops anywhere between 0 and 80 %, some eSIMs are removed or were never installed,
 * and activity ages spread out. The WebhookEvent rows carry the envelope Hubby sends; Traveler, TravelerBooking,
 * TravelerPackage, UsageSample and PromoRedemption are derived from the same staged events with the projection's
 * merge rules, so replaying the events yields the same rows (tests/integration/seed-large.test.ts).
 */

export const EVENTS_PER_TRAVELER = 20;
const STEPS_PER_TRIP = 8;
const TRIP_DAYS = 40;

export type SeedLargeCounts = {
  travelers: number;
  bookings: number;
  packages: number;
  usageSamples: number;
  promoRedemptions: number;
  webhookEvents: number;
};

export type SeedLargeTiming = { step: string; ms: number; rows: number };

export class SeedLargeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedLargeRefused";
  }
}

/** Minutes from a trip's departure to step s of trip t (esim.removed comes later than a top-up). */
const offsetMinutes = (t: string, s: string) => `(CASE ${s}
  WHEN 0 THEN -7 * 1440 WHEN 1 THEN -3 * 1440 WHEN 2 THEN -120 WHEN 3 THEN 60
  WHEN 4 THEN 36 * 60 WHEN 5 THEN 96 * 60 WHEN 6 THEN 144 * 60
  ELSE CASE WHEN ${t} % 2 = 1 THEN 240 * 60 ELSE 168 * 60 END END)`;

/** A deterministic pseudo-random integer in [0, 2^20) from an integer expression and a salt. */
const rand = (expr: string, salt: number) => `(hashint4((${expr}) * 8 + ${salt}) & 1048575)`;

const DESTINATIONS = ["GR", "ES", "IT", "FR", "PT", "US", "MX", "TH", "JP", "TR", "GB", "DE", "HR", "EG", "AE", "ID"];
const SIZES_GB = [1, 3, 5, 10, 20];
const DURATIONS = [7, 15, 30];
const pick = (list: readonly (string | number)[], index: string) =>
  `(ARRAY[${list.map((v) => (typeof v === "string" ? `'${v}'` : String(v))).join(",")}])[1 + (${index}) % ${list.length}]`;

const STAGING = [
  `CREATE TEMP TABLE seed_traveler (
    u int PRIMARY KEY, id text NOT NULL, iccid text NOT NULL, cnt int NOT NULL,
    date_only boolean NOT NULL, never_installs boolean NOT NULL, base timestamptz NOT NULL) ON COMMIT DROP`,
  `CREATE TEMP TABLE seed_event (
    u int NOT NULL, k int NOT NULL, t int NOT NULL, s int NOT NULL, "eventType" text NOT NULL, at timestamptz NOT NULL,
    "externalUserId" text, "bookingId" text, "packageId" text, iccid text, "departureDate" text, "departsAt" timestamptz,
    "esimInstalled" boolean, destination text, size text, "packageType" text, bytes bigint, "durationDays" int,
    percent int, "activatedAt" timestamptz, "expiresAt" timestamptz, promocode text) ON COMMIT DROP`,
];

/** $1 = now, $2 = number of travelers. Counts are paired (20 + d, 20 − d) so the total is exactly 20 per traveler. */
const STAGE_TRAVELERS = `
  INSERT INTO seed_traveler (u, id, iccid, cnt, date_only, never_installs, base)
  SELECT u, id, iccid, cnt, date_only, never_installs,
    date_trunc('minute', $1::timestamptz - make_interval(secs => lag_s)
      - make_interval(days => ((cnt - 1) / ${STEPS_PER_TRIP}) * ${TRIP_DAYS})
      - make_interval(mins => ${offsetMinutes(`((cnt - 1) / ${STEPS_PER_TRIP})`, `((cnt - 1) % ${STEPS_PER_TRIP})`)}))
  FROM (
    SELECT u,
      'usr_' || substr(md5('u' || u), 1, 16) AS id,
      '8988247' || lpad(u::text, 12, '0') AS iccid,
      CASE WHEN u % 2 = 1 AND u = $2::int THEN ${EVENTS_PER_TRAVELER}
        WHEN u % 2 = 1 THEN ${EVENTS_PER_TRAVELER} + (hashint4(u) & 15)
        ELSE ${EVENTS_PER_TRAVELER} - (hashint4(u - 1) & 15) END AS cnt,
      u % 5 = 0 AS date_only,
      u % 20 = 0 AS never_installs,
      -- The last event 0–90 days ago, most travelers recent.
      floor(90 * 86400 * power(${rand("u", 1)} / 1048576.0, 2))::int AS lag_s
    FROM generate_series(1, $2::int) AS u
  ) x`;

/**
 * Step 1 of trip t installs the eSIM on the first trip (except for the 5% who never install on it, and do on the
 * second), and again after a trip that ended with esim.removed (odd trips); otherwise a promo code is redeemed.
 */
const INSTALLS_AT_STEP_1 = `((t = 0 AND NOT never_installs) OR (t >= 1 AND ((t - 1) % 2 = 1 OR (never_installs AND t = 1))))`;

/** Which event step s of trip t is, for one traveler. */
const EVENT_TYPE = `CASE s
  WHEN 0 THEN 'booking.within_cutoff'
  WHEN 1 THEN CASE WHEN ${INSTALLS_AT_STEP_1} THEN 'esim.installed' ELSE 'promo_code.redeemed' END
  WHEN 2 THEN 'booking.about_to_depart'
  WHEN 3 THEN 'package.activated'
  WHEN 4 THEN 'package.usage.20_percent'
  WHEN 5 THEN 'package.usage.50_percent'
  WHEN 6 THEN 'package.usage.80_percent'
  ELSE CASE WHEN t % 2 = 1 THEN 'esim.removed' WHEN t % 4 = 0 THEN 'topup.completed' ELSE 'package.purchased' END END`;

/** Whether the eSIM is installed when trip t's booking reminders go out (s0: before step 1's install). */
const INSTALLED_AT_CUTOFF = `(t >= 1 AND (t - 1) % 2 = 0 AND NOT (never_installs AND t = 1))`;
const INSTALLED_BEFORE_DEPARTURE = `(${INSTALLED_AT_CUTOFF} OR ${INSTALLS_AT_STEP_1})`;

const STAGE_EVENTS = `
  INSERT INTO seed_event
  SELECT u, k, t, s, "eventType", at,
    CASE WHEN "eventType" = 'promo_code.redeemed' THEN NULL ELSE id END,
    'BK' || upper(substr(md5('b' || u || ':' || t), 1, 14)),
    CASE WHEN s BETWEEN 3 AND 6 THEN 'pkg_' || substr(md5('p' || u || ':' || t), 1, 16)
      WHEN "eventType" IN ('topup.completed', 'package.purchased') THEN 'pkg_' || substr(md5('q' || u || ':' || t), 1, 16) END,
    CASE WHEN "eventType" LIKE 'esim.%' THEN iccid END,
    CASE WHEN s IN (0, 2) THEN CASE WHEN date_only THEN to_char(dep AT TIME ZONE 'UTC', 'YYYY-MM-DD')
      ELSE to_char(dep AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END END,
    CASE WHEN s IN (0, 2) THEN CASE WHEN date_only THEN date_trunc('day', dep AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' ELSE dep END END,
    CASE s WHEN 0 THEN ${INSTALLED_AT_CUTOFF} WHEN 2 THEN ${INSTALLED_BEFORE_DEPARTURE} END,
    CASE WHEN s >= 3 AND "eventType" NOT LIKE 'esim.%' THEN ${pick(DESTINATIONS, rand("u * 8 + t", 2))} END,
    CASE WHEN s BETWEEN 3 AND 6 THEN gb || 'GB' WHEN s = 7 AND "eventType" NOT LIKE 'esim.%' THEN '3GB' END,
    CASE WHEN s BETWEEN 4 AND 7 AND "eventType" NOT LIKE 'esim.%' THEN 'data-limited' END,
    CASE WHEN s BETWEEN 4 AND 6 THEN gb::bigint * 1073741824 END,
    CASE WHEN s BETWEEN 4 AND 6 THEN days END,
    CASE s WHEN 4 THEN 20 WHEN 5 THEN 50 WHEN 6 THEN 80 END,
    CASE WHEN s = 3 THEN at END,
    CASE WHEN s = 3 THEN at + make_interval(days => days) END,
    CASE WHEN "eventType" = 'promo_code.redeemed' THEN 'TRIP' || upper(substr(md5('c' || u || ':' || t), 1, 6)) END
  FROM (
    SELECT tr.*, k, t, s, dep, gb, days,
      ${EVENT_TYPE} AS "eventType",
      -- Jitter (0–17 min) is subtracted, so the last event stays at or before now minus the traveler's lag.
      dep + make_interval(mins => ${offsetMinutes("t", "s")}) - make_interval(secs => ${rand("u * 64 + k", 3)} & 1023) AS at
    FROM seed_traveler tr
    CROSS JOIN LATERAL generate_series(0, tr.cnt - 1) AS k
    CROSS JOIN LATERAL (SELECT k / ${STEPS_PER_TRIP} AS t, k % ${STEPS_PER_TRIP} AS s) ts
    CROSS JOIN LATERAL (SELECT tr.base + make_interval(days => ts.t * ${TRIP_DAYS}) AS dep,
      ${pick(SIZES_GB, rand("tr.u * 8 + ts.t", 4))} AS gb, ${pick(DURATIONS, rand("tr.u * 8 + ts.t", 5))} AS days) d
  ) e`;

/** The event's `data`, shaped like Hubby's (lib/webhooks/samples.ts). */
const EVENT_DATA = `CASE
  WHEN "eventType" LIKE 'package.usage.%' THEN json_build_object('external_user_id', "externalUserId", 'booking_id', "bookingId",
    'package_id', "packageId", 'destination', destination, 'size', size, 'package_type', "packageType",
    'used_bytes', bytes * percent / 100, 'remaining_bytes', bytes - bytes * percent / 100,
    'duration_days', "durationDays", 'usage_percent', percent)
  WHEN "eventType" LIKE 'esim.%' THEN json_build_object('external_user_id', "externalUserId", 'booking_id', "bookingId", 'iccid', iccid)
  WHEN "eventType" = 'package.activated' THEN json_build_object('external_user_id', "externalUserId", 'booking_id', "bookingId",
    'package_id', "packageId", 'destination', destination, 'size', size,
    'activated_at', to_char("activatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'expires_at', to_char("expiresAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
  WHEN "eventType" = 'promo_code.redeemed' THEN json_build_object('promocode', promocode, 'booking_id', "bookingId",
    'redeemed_at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
  WHEN "eventType" = 'booking.within_cutoff' THEN json_build_object('external_user_id', "externalUserId", 'booking_id', "bookingId",
    'departure_date', "departureDate", 'days_until_departure', 7, 'esim_installed', "esimInstalled")
  WHEN "eventType" = 'booking.about_to_depart' THEN json_build_object('external_user_id', "externalUserId", 'booking_id', "bookingId",
    'departure_date', "departureDate", 'hours_until_departure', 2, 'esim_installed', "esimInstalled")
  ELSE json_build_object('external_user_id', "externalUserId", 'booking_id', "bookingId", 'package_id', "packageId",
    'destination', destination, 'size', size, 'package_type', "packageType") END`;

const INSERT_EVENTS = `
  INSERT INTO "WebhookEvent" ("receivedAt", "eventType", "eventAt", "dedupeKey", "eventId", "headers", "body",
    "status", "processedAt", "externalUserId", "bookingId", "packageId")
  SELECT received, "eventType", at, 'id:' || event_id, event_id,
    json_build_object('content-type', 'application/json', 'user-agent', 'Hubby-Webhooks/1.0',
      'x-hubby-timestamp', floor(extract(epoch FROM received))::bigint::text)::jsonb,
    body, 'processed', received, "externalUserId", "bookingId", "packageId"
  FROM (
    SELECT e.*, 'evt_' || md5(u || ':' || k) AS event_id,
      at + make_interval(secs => (50 + ${rand("u * 64 + k", 6)} % 2000) / 1000.0) AS received,
      json_build_object('event_id', 'evt_' || md5(u || ':' || k), 'event', "eventType",
        'timestamp', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'data', ${EVENT_DATA}) AS body
    FROM seed_event e
  ) x
  ORDER BY received`;

/** The projection's merge rules (lib/webhooks/projection.ts), applied to all staged events at once. */
const DERIVE = {
  Traveler: `
    INSERT INTO "Traveler" ("externalUserId", "firstSeenAt", "lastSeenAt", "iccid", "esimState", "esimStateAt", "lastEventType", "lastEventAt")
    SELECT "externalUserId", min(at), max(at),
      (array_agg(iccid ORDER BY at DESC, "eventType" DESC) FILTER (WHERE "eventType" LIKE 'esim.%'))[1],
      (array_agg(CASE WHEN "eventType" = 'esim.installed' THEN 'installed' ELSE 'removed' END ORDER BY at DESC, "eventType" DESC)
        FILTER (WHERE "eventType" LIKE 'esim.%'))[1],
      max(at) FILTER (WHERE "eventType" LIKE 'esim.%'),
      (array_agg("eventType" ORDER BY at DESC, "eventType" DESC))[1], max(at)
    FROM seed_event WHERE "externalUserId" IS NOT NULL GROUP BY "externalUserId"`,
  TravelerBooking: `
    INSERT INTO "TravelerBooking" ("bookingId", "externalUserId", "departureDate", "departsAt", "withinCutoffAt",
      "withinCutoffEsimInstalled", "aboutToDepartAt", "aboutToDepartEsimInstalled", "firstSeenAt", "lastSeenAt")
    SELECT "bookingId", "externalUserId", max("departureDate"), max("departsAt"),
      max(at) FILTER (WHERE "eventType" = 'booking.within_cutoff'),
      bool_or("esimInstalled") FILTER (WHERE "eventType" = 'booking.within_cutoff'),
      max(at) FILTER (WHERE "eventType" = 'booking.about_to_depart'),
      bool_or("esimInstalled") FILTER (WHERE "eventType" = 'booking.about_to_depart'),
      min(at), max(at)
    FROM seed_event WHERE "externalUserId" IS NOT NULL GROUP BY "bookingId", "externalUserId"`,
  TravelerPackage: `
    INSERT INTO "TravelerPackage" ("packageId", "externalUserId", "bookingId", "destination", "size", "packageType",
      "activatedAt", "expiresAt", "usagePercent", "usedBytes", "remainingBytes", "durationDays", "lastUsageAt", "firstSeenAt", "lastSeenAt")
    SELECT "packageId", max("externalUserId"), max("bookingId"), max(destination), max(size), max("packageType"),
      max("activatedAt"), max("expiresAt"), coalesce(max(percent), 0),
      (array_agg(bytes * percent / 100 ORDER BY percent DESC) FILTER (WHERE percent IS NOT NULL))[1],
      (array_agg(bytes - bytes * percent / 100 ORDER BY percent DESC) FILTER (WHERE percent IS NOT NULL))[1],
      max("durationDays"), max(at) FILTER (WHERE percent IS NOT NULL), min(at), max(at)
    FROM seed_event WHERE "packageId" IS NOT NULL GROUP BY "packageId"`,
  UsageSample: `
    INSERT INTO "UsageSample" ("packageId", "percent", "at", "externalUserId", "usedBytes", "remainingBytes")
    SELECT "packageId", percent, at, "externalUserId", bytes * percent / 100, bytes - bytes * percent / 100
    FROM seed_event WHERE percent IS NOT NULL`,
  PromoRedemption: `
    INSERT INTO "PromoRedemption" ("promoCode", "bookingId", "redeemedAt")
    SELECT promocode, "bookingId", to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    FROM seed_event WHERE promocode IS NOT NULL`,
  // Redeemed codes the console did not issue, as the projection records them: the earliest redemption (as the
  // event's redeemed_at, to the second), its booking, and that time as when the code entered the list.
  PromoCode: `
    INSERT INTO "PromoCode" ("code", "redeemedAt", "redemptionBookingId", "firstSeenAt")
    SELECT promocode, min(redeemed), (array_agg("bookingId" ORDER BY redeemed, "bookingId"))[1], min(redeemed)
    FROM (SELECT promocode, "bookingId",
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')::timestamptz AS redeemed
      FROM seed_event WHERE promocode IS NOT NULL) redemptions
    GROUP BY promocode`,
} as const;

const TABLES = [
  "Traveler",
  "TravelerBooking",
  "TravelerPackage",
  "UsageSample",
  "PromoRedemption",
  "PromoCode",
  "WebhookEvent",
  "WebhookDedupe",
];

/** Refuses unless every table it fills is empty: the seed's ids and dedupe keys would collide with existing rows. */
export async function assertEmptyForSeed(sql: SqlRunner) {
  const counts = await sql.query<{ table: string; n: number }>(
    TABLES.map((table) => `SELECT '${table}' AS table, (SELECT count(*) FROM "${table}")::int AS n`).join(
      " UNION ALL ",
    ),
  );
  const filled = counts.filter((row) => row.n > 0);
  if (filled.length > 0) {
    throw new SeedLargeRefused(
      `The database already holds data (${filled.map((row) => `${row.n} ${row.table}`).join(", ")}). ` +
        `The large seed only fills an empty database, so its ids cannot collide with real ones: ` +
        `point it at a fresh database (createdb …, then --url or DATABASE_URL).`,
    );
  }
}

/**
 * Fills an empty, migrated database with `travelers` travelers and 20 × `travelers` webhook events, in one
 * transaction (all or nothing). `sql` must be one connection inside a transaction (Database.transaction).
 */
export async function seedLarge(
  sql: SqlRunner,
  options: { travelers: number; postgres: boolean; now?: Date; onStep?: (timing: SeedLargeTiming) => void },
): Promise<SeedLargeCounts> {
  const now = (options.now ?? new Date()).toISOString();
  const step = async (name: string, text: string, params: unknown[] = []) => {
    const started = performance.now();
    const rows = await sql.query<{ n: number }>(
      `WITH done AS (${text} RETURNING 1) SELECT count(*)::int AS n FROM done`,
      params,
    );
    const timing = { step: name, ms: performance.now() - started, rows: rows[0]?.n ?? 0 };
    options.onStep?.(timing);
    return timing.rows;
  };
  await assertEmptyForSeed(sql);
  if (options.postgres) {
    // JIT compilation costs seconds per statement here and buys nothing for these simple expressions.
    // Sorting 2M wide rows by receivedAt (so ids follow arrival, as in production) spills to disk at 4 MB.
    await sql.exec("SET LOCAL jit = off; SET LOCAL work_mem = '256MB'");
  }
  for (const statement of STAGING) await sql.exec(statement);
  await step("stage travelers", STAGE_TRAVELERS, [now, options.travelers]);
  await step("stage events", STAGE_EVENTS);
  // The months the events fall in get their partitions first (docs/decisions/0063), else they land in the default one.
  const [span] = await sql.query<{ first: Date | null; last: Date | null }>(
    `SELECT min(at) - interval '1 day' AS first, max(at) + interval '1 day' AS last FROM seed_event`,
  );
  if (span?.first && span.last) await ensureWebhookMonths(new Date(span.first), new Date(span.last), sql);
  const webhookEvents = await step("WebhookEvent", INSERT_EVENTS);
  await step(
    "WebhookDedupe",
    `INSERT INTO "WebhookDedupe" ("dedupeKey", "eventId", "receivedAt")
    SELECT "dedupeKey", "id", "receivedAt" FROM "WebhookEvent"`,
  );
  const travelers = await step("Traveler", DERIVE.Traveler);
  const bookings = await step("TravelerBooking", DERIVE.TravelerBooking);
  const packages = await step("TravelerPackage", DERIVE.TravelerPackage);
  const usageSamples = await step("UsageSample", DERIVE.UsageSample);
  const promoRedemptions = await step("PromoRedemption", DERIVE.PromoRedemption);
  await step("PromoCode", DERIVE.PromoCode);
  return { travelers, bookings, packages, usageSamples, promoRedemptions, webhookEvents };
}

/** Statistics and the visibility map after a bulk load, as autovacuum would leave them (index-only scans need it). */
export async function analyzeSeededTables(sql: SqlRunner) {
  for (const table of TABLES) await sql.exec(`VACUUM (ANALYZE) "${table}"`);
}
