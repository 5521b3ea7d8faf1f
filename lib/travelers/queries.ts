import "server-only";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { filterKey, type CampaignStep, type TravelerFilter, type TravelerQuery, type TravelerSort } from "./filters";

export { travelerQuerySchema, type TravelerQuery } from "./filters";

export const TRAVELER_PAGE_SIZE = 50;
/** The most rows one CSV export may hold; larger filters are refused with a message to narrow them. */
export const TRAVELER_EXPORT_MAX_ROWS = 50_000;
const EXPORT_BATCH = 1_000;

/** "pending": booked from the console, no webhook from Hubby yet (lib/travelers/booked.ts). */
export type EsimStatus = "installed" | "removed" | "not installed" | "pending" | "unknown";

export type TravelerRow = {
  externalUserId: string;
  iccid: string | null;
  esimStatus: EsimStatus;
  /** When the eSIM was last reported installed or removed. */
  esimStateAt: string | null;
  activePackages: number;
  /**
   * The usage percent of the traveler's current package (the rule of lib/travelers/meters.ts, currentPackage):
   * among unexpired packages, one not used up first, then the latest activated. null without a current package.
   */
  usagePercent: number | null;
  nextDepartureAt: string | null;
  /** The booking gave a date without a time (read as 00:00 UTC). */
  nextDepartureDateOnly: boolean;
  lastEventType: string | null;
  lastEventAt: string | null;
};

type RawRow = {
  externalUserId: string;
  iccid: string | null;
  esimState: string | null;
  esimStateAt: Date | null;
  reportedNotInstalled: boolean;
  activePackages: bigint | number;
  usagePercent: number | null;
  nextDepartureAt: Date | null;
  nextDepartureDate: string | null;
  lastEventType: string | null;
  lastEventAt: Date | null;
};

/** `now` as a timestamptz parameter: an ISO string with its zone, so neither driver nor session zone shifts it. */
const at = (now: Date) => Prisma.sql`${now.toISOString()}::timestamptz`;

/** LIKE pattern for "starts with": the user's %, _ and \ are literal (backslash is PostgreSQL's default escape). */
export function prefixPattern(q: string): string {
  return `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A booking departs in the future; a date-only departure (read as 00:00 UTC) counts until that day is over.
 * Written as a range on departsAt so its index applies.
 */
const upcoming = (now: Date) =>
  Prisma.sql`b."departsAt" > ${at(now)} - interval '1 day'
    AND (b."departsAt" > ${at(now)} OR char_length(b."departureDate") = 10)`;

/**
 * Travelers whose external_user_id, ICCID, booking id or package id starts with q: one prefix lookup per key,
 * each able to use its own index (text_pattern_ops or C collation), joined by UNION instead of OR + EXISTS.
 */
function searchHits(q: string) {
  const pattern = prefixPattern(q);
  return Prisma.sql`t."externalUserId" IN (
      SELECT "externalUserId" FROM "Traveler" WHERE "externalUserId" LIKE ${pattern}
      UNION SELECT "externalUserId" FROM "Traveler" WHERE "iccid" LIKE ${pattern}
      UNION SELECT "externalUserId" FROM "TravelerBooking" WHERE "bookingId" LIKE ${pattern}
      UNION SELECT "externalUserId" FROM "TravelerPackage" WHERE "packageId" LIKE ${pattern})`;
}

/**
 * A campaign's funnel step: travelers it issued a booking to (a sent row); of those, with the eSIM installed; with
 * a package from one of the campaign's bookings activated; with such a package past 80% (a UsageSample at 80).
 */
export function campaignStepCondition(campaignId: string, step: CampaignStep): Prisma.Sql {
  const sent = Prisma.sql`r."campaignId" = ${campaignId}::uuid AND r."state" = 'sent'`;
  const issued = Prisma.sql`t."externalUserId" IN (SELECT r."externalUserId" FROM "CampaignRow" r WHERE ${sent})`;
  const campaignPackage = Prisma.sql`SELECT 1 FROM "CampaignRow" r
    JOIN "TravelerPackage" p ON p."bookingId" = r."hubbyBookingId" AND p."externalUserId" = r."externalUserId"`;
  if (step === "installed") return Prisma.sql`${issued} AND t."esimState" = 'installed'`;
  if (step === "activated") {
    return Prisma.sql`EXISTS (${campaignPackage}
      WHERE ${sent} AND r."externalUserId" = t."externalUserId" AND p."activatedAt" IS NOT NULL)`;
  }
  if (step === "crossed80") {
    return Prisma.sql`EXISTS (${campaignPackage}
      JOIN "UsageSample" u ON u."packageId" = p."packageId" AND u."percent" = 80
      WHERE ${sent} AND r."externalUserId" = t."externalUserId")`;
  }
  return issued;
}

function whereClause(filter: TravelerFilter, now: Date, extra: Prisma.Sql[] = []): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filter.q) conditions.push(searchHits(filter.q));
  if (filter.esim === "installed") conditions.push(Prisma.sql`t."esimState" = 'installed'`);
  if (filter.esim === "removed") conditions.push(Prisma.sql`t."esimState" = 'removed'`);
  // Never reported installed: an ICCID was assigned but not installed, or nothing is known yet.
  if (filter.esim === "not_installed") conditions.push(Prisma.sql`t."esimState" IS NULL`);
  if (filter.departing) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "TravelerBooking" b
      WHERE b."externalUserId" = t."externalUserId" AND ${upcoming(now)}
        AND b."departsAt" <= ${at(now)} + make_interval(hours => ${filter.departing}::int))`);
  }
  if (filter.crossed) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "UsageSample" u
      WHERE u."externalUserId" = t."externalUserId" AND u."percent" = ${filter.crossed}::int
        AND u."at" > ${at(now)} - make_interval(days => ${filter.crossedDays}::int) AND u."at" <= ${at(now)})`);
  }
  if (filter.idle) {
    conditions.push(Prisma.sql`(t."lastEventAt" IS NULL
      OR t."lastEventAt" < ${at(now)} - make_interval(days => ${filter.idle}::int))`);
  }
  if (filter.campaign) conditions.push(campaignStepCondition(filter.campaign, filter.step));
  conditions.push(...extra);
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

const currentPackage = (now: Date) => Prisma.sql`(p."expiresAt" IS NULL OR p."expiresAt" > ${at(now)})`;

/**
 * Which of a traveler's current packages the list's usage is read from, first row wins: one not used up before
 * one that is (a depleted package must not hide a fresh one), then the latest activated (none yet last), then the
 * latest seen. The same order as currentPackage in lib/travelers/meters.ts and as the maintained value's
 * traveler_current_usage_refresh (migration 20261204184837_maintained_usage): change all three together.
 */
const currentPackageOrder = Prisma.sql`(p."usagePercent" >= 100) ASC, p."activatedAt" DESC NULLS LAST,
  p."firstSeenAt" DESC, p."packageId" ASC`;

/** The current package's usage percent, for one traveler t. */
const currentUsage = (now: Date) => Prisma.sql`(SELECT p."usagePercent" FROM "TravelerPackage" p
  WHERE p."externalUserId" = t."externalUserId" AND ${currentPackage(now)}
  ORDER BY ${currentPackageOrder} LIMIT 1)`;

/**
 * The stored usage (Traveler.currentUsagePercent, lib/travelers/current-usage.ts) holds at `now`: `now` lies in the
 * span in which none of the traveler's packages expires. Outside it the value is read as currentUsage.
 */
const usageHolds = (now: Date) => Prisma.sql`(t."currentUsageFrom" IS NULL OR t."currentUsageFrom" <= ${at(now)})
  AND (t."currentUsageUntil" IS NULL OR t."currentUsageUntil" > ${at(now)})`;
const usageStale = (now: Date) =>
  Prisma.sql`(t."currentUsageUntil" <= ${at(now)} OR t."currentUsageFrom" > ${at(now)})`;

/** currentUsage, read from the maintained column wherever it holds (the same value, without the package lookup). */
const maintainedUsage = (now: Date) =>
  Prisma.sql`CASE WHEN ${usageHolds(now)} THEN t."currentUsagePercent" ELSE ${currentUsage(now)} END`;

/**
 * The unfiltered list's page sorted by usage: the first offset + 50 travelers whose stored value holds, straight
 * off the index on (currentUsagePercent, externalUserId) in the sort's direction, merged with the few whose value
 * went stale since a package expired (until the maintenance job recomputes them), each read at query time. The
 * same rows, in the same order, as sorting every traveler by currentUsage.
 */
function usageSortedPage(descending: boolean, now: Date, page: number): Prisma.Sql {
  const order = descending ? Prisma.sql`DESC NULLS LAST` : Prisma.sql`ASC NULLS LAST`;
  const offset = (page - 1) * TRAVELER_PAGE_SIZE;
  return Prisma.sql`
    SELECT s."externalUserId", s.k FROM (
      (SELECT t."externalUserId", t."currentUsagePercent" AS k FROM "Traveler" t WHERE ${usageHolds(now)}
        ORDER BY t."currentUsagePercent" ${order}, t."externalUserId" ASC LIMIT ${offset + TRAVELER_PAGE_SIZE})
      UNION ALL
      SELECT t."externalUserId", ${currentUsage(now)} AS k FROM "Traveler" t WHERE ${usageStale(now)}
    ) s
    ORDER BY s.k ${order}, s."externalUserId" ASC
    LIMIT ${TRAVELER_PAGE_SIZE} OFFSET ${offset}`;
}

type SortPlan = { join: Prisma.Sql; key: Prisma.Sql; order: Prisma.Sql };

/**
 * The sort key over t, with its direction; external_user_id breaks ties. Usage is the maintained column (looked up
 * per traveler where it went stale). Next departure is an aggregate: for a search or a filter (usually a small share
 * of travelers) looked up per traveler by index; for the unfiltered list aggregated once and hash-joined, which
 * beats 100k index lookups.
 */
function sortPlan(sort: TravelerSort, now: Date, narrow: boolean): SortPlan {
  const field = sort.replace(/^-/, "");
  const descending = sort.startsWith("-");
  const nullsLast = descending ? Prisma.sql`DESC NULLS LAST` : Prisma.sql`ASC NULLS LAST`;
  const aggregate = (perTraveler: Prisma.Sql, grouped: Prisma.Sql): SortPlan =>
    narrow
      ? { join: Prisma.empty, key: perTraveler, order: nullsLast }
      : {
          join: Prisma.sql`LEFT JOIN (${grouped}) sk ON sk."externalUserId" = t."externalUserId"`,
          key: Prisma.sql`sk.v`,
          order: nullsLast,
        };
  switch (field) {
    case "externalUserId":
      return {
        join: Prisma.empty,
        key: Prisma.sql`t."externalUserId"`,
        order: descending ? Prisma.sql`DESC` : Prisma.sql`ASC`,
      };
    case "usage":
      // Unfiltered, searchTravelers reads the page off the maintained column's index (usageSortedPage).
      return { join: Prisma.empty, key: maintainedUsage(now), order: nullsLast };
    case "departure":
      return aggregate(
        Prisma.sql`(SELECT MIN(b."departsAt") FROM "TravelerBooking" b
          WHERE b."externalUserId" = t."externalUserId" AND ${upcoming(now)})`,
        Prisma.sql`SELECT b."externalUserId", MIN(b."departsAt") AS v FROM "TravelerBooking" b
          WHERE ${upcoming(now)} GROUP BY b."externalUserId"`,
      );
    default:
      // Oldest first puts travelers never heard from at the top.
      return {
        join: Prisma.empty,
        key: Prisma.sql`t."lastEventAt"`,
        order: descending ? Prisma.sql`DESC NULLS LAST` : Prisma.sql`ASC NULLS FIRST`,
      };
  }
}

/**
 * The shown columns for travelers already chosen: `chosen` selects "externalUserId" and the sort key "k", and the
 * result keeps that order.
 */
function rowsFor(chosen: Prisma.Sql, order: Prisma.Sql, now: Date) {
  return db().$queryRaw<RawRow[]>`
    WITH chosen AS MATERIALIZED (${chosen})
    SELECT t."externalUserId", t."iccid", t."esimState", t."esimStateAt", t."lastEventType", t."lastEventAt",
      pk."activePackages", ${currentUsage(now)} AS "usagePercent",
      nd."departsAt" AS "nextDepartureAt", nd."departureDate" AS "nextDepartureDate",
      EXISTS (SELECT 1 FROM "TravelerBooking" f WHERE f."externalUserId" = t."externalUserId"
        AND (f."withinCutoffEsimInstalled" = false OR f."aboutToDepartEsimInstalled" = false)) AS "reportedNotInstalled"
    FROM chosen c
    JOIN "Traveler" t ON t."externalUserId" = c."externalUserId"
    LEFT JOIN LATERAL (
      SELECT COUNT(*) FILTER (WHERE p."activatedAt" IS NOT NULL AND p."expiresAt" > ${at(now)} AND p."usagePercent" < 100)
          AS "activePackages"
      FROM "TravelerPackage" p WHERE p."externalUserId" = t."externalUserId") pk ON true
    LEFT JOIN LATERAL (
      SELECT b."departsAt", b."departureDate" FROM "TravelerBooking" b
      WHERE b."externalUserId" = t."externalUserId" AND ${upcoming(now)}
      ORDER BY b."departsAt" LIMIT 1) nd ON true
    ORDER BY c.k ${order}, c."externalUserId" ASC`;
}

function toRow(row: RawRow): TravelerRow {
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  const esimStatus: EsimStatus =
    row.esimState === "installed"
      ? "installed"
      : row.esimState === "removed"
        ? "removed"
        : row.iccid || row.reportedNotInstalled
          ? "not installed"
          : row.lastEventAt === null && !Number(row.activePackages ?? 0) && row.usagePercent === null
            ? "pending"
            : "unknown";
  return {
    externalUserId: row.externalUserId,
    iccid: row.iccid,
    esimStatus,
    esimStateAt: iso(row.esimStateAt),
    activePackages: Number(row.activePackages ?? 0),
    usagePercent: row.usagePercent === null ? null : Number(row.usagePercent),
    nextDepartureAt: iso(row.nextDepartureAt),
    nextDepartureDateOnly: row.nextDepartureDate?.length === 10,
    lastEventType: row.lastEventType,
    lastEventAt: iso(row.lastEventAt),
  };
}

/** How many travelers match a filter. */
export async function countTravelers(filter: TravelerFilter, now: Date = new Date()): Promise<number> {
  const onlyCrossed =
    filter.crossed && !filter.q && !filter.esim && !filter.departing && !filter.idle && !filter.campaign;
  // "Crossed N%" alone counts straight off the UsageSample(percent, at) index instead of probing every traveler.
  const count = onlyCrossed
    ? await db().$queryRaw<{ n: bigint }[]>`
        SELECT COUNT(DISTINCT u."externalUserId") AS n FROM "UsageSample" u
        WHERE u."percent" = ${filter.crossed}::int
          AND u."at" > ${at(now)} - make_interval(days => ${filter.crossedDays}::int) AND u."at" <= ${at(now)}`
    : await db().$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM "Traveler" t ${whereClause(filter, now)}`;
  return Number(count[0]?.n ?? 0);
}

/**
 * One page of travelers for the list: search (prefix on any id), filters, sort. The page's ids are chosen first
 * with only the sort key computed, then the shown columns are read for those 50 rows alone.
 */
export async function searchTravelers(query: TravelerQuery, now: Date = new Date()) {
  const narrow = filterKey(query) !== "";
  const { join, key, order } = sortPlan(query.sort, now, narrow);
  const chosen =
    !narrow && query.sort.replace(/^-/, "") === "usage"
      ? usageSortedPage(query.sort.startsWith("-"), now, query.page)
      : Prisma.sql`
    SELECT t."externalUserId", ${key} AS k FROM "Traveler" t ${join} ${whereClause(query, now)}
    ORDER BY k ${order}, t."externalUserId" ASC
    LIMIT ${TRAVELER_PAGE_SIZE} OFFSET ${(query.page - 1) * TRAVELER_PAGE_SIZE}`;
  const [rows, total] = await Promise.all([rowsFor(chosen, order, now), countTravelers(query, now)]);
  return { rows: rows.map(toRow), total, pageSize: TRAVELER_PAGE_SIZE };
}

/**
 * Every traveler matching a filter, by external_user_id, in batches (keyset on the primary key, so each batch is
 * an index range however deep the export goes). Callers check countTravelers against TRAVELER_EXPORT_MAX_ROWS.
 */
export async function* exportTravelers(filter: TravelerFilter, now: Date = new Date()): AsyncGenerator<TravelerRow[]> {
  let after: string | null = null;
  let sent = 0;
  while (sent < TRAVELER_EXPORT_MAX_ROWS) {
    const extra: Prisma.Sql[] = after === null ? [] : [Prisma.sql`t."externalUserId" > ${after}`];
    const chosen: Prisma.Sql = Prisma.sql`
      SELECT t."externalUserId", t."externalUserId" AS k FROM "Traveler" t ${whereClause(filter, now, extra)}
      ORDER BY t."externalUserId" ASC
      LIMIT ${Math.min(EXPORT_BATCH, TRAVELER_EXPORT_MAX_ROWS - sent)}`;
    const batch = (await rowsFor(chosen, Prisma.sql`ASC`, now)).map(toRow);
    if (batch.length === 0) return;
    yield batch;
    sent += batch.length;
    after = batch[batch.length - 1]!.externalUserId;
    if (batch.length < EXPORT_BATCH) return;
  }
}

/** The traveler an exact id (external_user_id, ICCID, booking id or package id) points to, if exactly one. */
export async function exactTravelerMatch(q: string): Promise<string | null> {
  if (!q) return null;
  const [byId, byIccid, byBooking, byPackage] = await Promise.all([
    db().traveler.findUnique({ where: { externalUserId: q }, select: { externalUserId: true } }),
    db().traveler.findMany({ where: { iccid: q }, select: { externalUserId: true }, take: 2 }),
    db().travelerBooking.findMany({ where: { bookingId: q }, select: { externalUserId: true }, take: 2 }),
    db().travelerPackage.findUnique({ where: { packageId: q }, select: { externalUserId: true } }),
  ]);
  if (byId) return byId.externalUserId;
  if (byIccid.length === 1) return byIccid[0]!.externalUserId;
  if (byBooking.length === 1) return byBooking[0]!.externalUserId;
  return byPackage?.externalUserId ?? null;
}
