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
 *
 * "walk" is the form for a broad prefix (more matches than the list's window) sorted by an indexed column: the
 * external_user_id test is made on each row of the sort's index as it is walked (the index carries the id) and the
 * other keys' few matches are looked up in a hashed set, so the page is found after about 50 × travelers ÷ matches
 * index entries instead of fetching and sorting every match. For a narrow prefix the walk would read the whole index.
 */
function searchHits(q: string, walk = false) {
  const pattern = prefixPattern(q);
  const otherKeys = Prisma.sql`SELECT "externalUserId" FROM "Traveler" WHERE "iccid" LIKE ${pattern}
      UNION SELECT "externalUserId" FROM "TravelerBooking" WHERE "bookingId" LIKE ${pattern}
      UNION SELECT "externalUserId" FROM "TravelerPackage" WHERE "packageId" LIKE ${pattern}`;
  if (walk) return Prisma.sql`(t."externalUserId" LIKE ${pattern} OR t."externalUserId" IN (${otherKeys}))`;
  return Prisma.sql`t."externalUserId" IN (
      SELECT "externalUserId" FROM "Traveler" WHERE "externalUserId" LIKE ${pattern}
      UNION ${otherKeys})`;
}

/**
 * The travelers a search alone matches, at most upTo + 1 of them: each key's lookup stops past upTo + 1 travelers
 * (one key past it is enough to know there are more), so a prefix matching thousands reads about upTo index
 * entries. Exact when it holds upTo or fewer. Selects "externalUserId".
 */
function searchHitsUpTo(q: string, upTo: number): Prisma.Sql {
  const pattern = prefixPattern(q);
  const limit = upTo + 1;
  return Prisma.sql`
      (SELECT "externalUserId" FROM "Traveler" WHERE "externalUserId" LIKE ${pattern} LIMIT ${limit})
      UNION (SELECT "externalUserId" FROM "Traveler" WHERE "iccid" LIKE ${pattern} LIMIT ${limit})
      UNION (SELECT DISTINCT "externalUserId" FROM "TravelerBooking" WHERE "bookingId" LIKE ${pattern} LIMIT ${limit})
      UNION (SELECT DISTINCT "externalUserId" FROM "TravelerPackage" WHERE "packageId" LIKE ${pattern} LIMIT ${limit})`;
}

async function countSearchUpTo(q: string, upTo: number): Promise<number> {
  const [row] = await db().$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM (${searchHitsUpTo(q, upTo)}) hits`;
  return Math.min(Number(row?.n ?? 0), upTo + 1);
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
  if (filter.departing) conditions.push(departingWithin(filter.departing, now));
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
 * A list column the database maintains per traveler (decisions 0057 and 0067): the value, computed as of a moment,
 * holds for any `now` inside the stored span [from, until) and is read at query time outside it (until the
 * maintenance job's refreshExpiredUsage recomputes the row).
 */
type Maintained = { value: Prisma.Sql; from: Prisma.Sql; until: Prisma.Sql; atQueryTime: (now: Date) => Prisma.Sql };

/** The stored usage (Traveler.currentUsagePercent, lib/travelers/current-usage.ts). */
const maintainedUsageColumn: Maintained = {
  value: Prisma.sql`t."currentUsagePercent"`,
  from: Prisma.sql`t."currentUsageFrom"`,
  until: Prisma.sql`t."currentUsageUntil"`,
  atQueryTime: currentUsage,
};

/** The earliest departsAt of one traveler t's upcoming bookings. */
const nextDeparture = (now: Date) => Prisma.sql`(SELECT MIN(b."departsAt") FROM "TravelerBooking" b
  WHERE b."externalUserId" = t."externalUserId" AND ${upcoming(now)})`;

/** The stored next departure (Traveler.nextDepartureAt, migration 20261205000400_maintained_next_departure). */
const maintainedDepartureColumn: Maintained = {
  value: Prisma.sql`t."nextDepartureAt"`,
  from: Prisma.sql`t."nextDepartureFrom"`,
  until: Prisma.sql`t."nextDepartureUntil"`,
  atQueryTime: nextDeparture,
};

/**
 * Travelers whose next departure is within `hours` of `now`: where the stored next departure holds, off its index
 * (with "not installed", the partial one on "esimState" IS NULL), so the filter reads the matching travelers only;
 * the few whose value went stale are looked up in their bookings. The same travelers as "has an upcoming booking
 * departing by then", whose earliest departure that is (decision 0068).
 */
function departingWithin(hours: number, now: Date): Prisma.Sql {
  const by = Prisma.sql`${at(now)} + make_interval(hours => ${hours}::int)`;
  return Prisma.sql`((${holds(maintainedDepartureColumn, now)} AND t."nextDepartureAt" <= ${by})
    OR (${stale(maintainedDepartureColumn, now)} AND EXISTS (SELECT 1 FROM "TravelerBooking" b
      WHERE b."externalUserId" = t."externalUserId" AND ${upcoming(now)} AND b."departsAt" <= ${by})))`;
}

/** The stored value holds at `now`: `now` lies in its span. */
const holds = (column: Maintained, now: Date) => Prisma.sql`(${column.from} IS NULL OR ${column.from} <= ${at(now)})
  AND (${column.until} IS NULL OR ${column.until} > ${at(now)})`;
const stale = (column: Maintained, now: Date) =>
  Prisma.sql`(${column.until} <= ${at(now)} OR ${column.from} > ${at(now)})`;

/** The column's value at `now`, read from the stored one wherever it holds (the same value, without the lookup). */
const maintainedValue = (column: Maintained, now: Date) =>
  Prisma.sql`CASE WHEN ${holds(column, now)} THEN ${column.value} ELSE ${column.atQueryTime(now)} END`;

/**
 * The unfiltered list's page sorted by a maintained column: the first offset + 50 travelers whose stored value
 * holds, straight off the index on (value, externalUserId) in the sort's direction, merged with the few whose value
 * went stale since (a package expired, a departure passed; until the maintenance job recomputes them), each read at
 * query time. The same rows, in the same order, as sorting every traveler by the query-time value.
 */
function maintainedSortedPage(column: Maintained, descending: boolean, now: Date, page: number): Prisma.Sql {
  const order = descending ? Prisma.sql`DESC NULLS LAST` : Prisma.sql`ASC NULLS LAST`;
  const offset = (page - 1) * TRAVELER_PAGE_SIZE;
  return Prisma.sql`
    SELECT s."externalUserId", s.k FROM (
      (SELECT t."externalUserId", ${column.value} AS k FROM "Traveler" t WHERE ${holds(column, now)}
        ORDER BY ${column.value} ${order}, t."externalUserId" ASC LIMIT ${offset + TRAVELER_PAGE_SIZE})
      UNION ALL
      SELECT t."externalUserId", ${column.atQueryTime(now)} AS k FROM "Traveler" t WHERE ${stale(column, now)}
    ) s
    ORDER BY s.k ${order}, s."externalUserId" ASC
    LIMIT ${TRAVELER_PAGE_SIZE} OFFSET ${offset}`;
}

/** The maintained column behind a sort, if it has one. */
function maintainedColumnOf(sort: TravelerSort): Maintained | null {
  const field = sort.replace(/^-/, "");
  return field === "usage" ? maintainedUsageColumn : field === "departure" ? maintainedDepartureColumn : null;
}

type SortPlan = { key: Prisma.Sql; order: Prisma.Sql };

/**
 * The sort key over t, with its direction; external_user_id breaks ties. Usage and next departure are maintained
 * columns (looked up per traveler where they went stale); unfiltered, searchTravelers reads their page off the
 * column's index instead (maintainedSortedPage).
 */
function sortPlan(sort: TravelerSort, now: Date): SortPlan {
  const field = sort.replace(/^-/, "");
  const descending = sort.startsWith("-");
  const nullsLast = descending ? Prisma.sql`DESC NULLS LAST` : Prisma.sql`ASC NULLS LAST`;
  const maintained = maintainedColumnOf(sort);
  if (maintained) return { key: maintainedValue(maintained, now), order: nullsLast };
  if (field === "externalUserId") {
    return {
      key: Prisma.sql`t."externalUserId"`,
      order: descending ? Prisma.sql`DESC` : Prisma.sql`ASC`,
    };
  }
  // Oldest first puts travelers never heard from at the top.
  return {
    key: Prisma.sql`t."lastEventAt"`,
    order: descending ? Prisma.sql`DESC NULLS LAST` : Prisma.sql`ASC NULLS FIRST`,
  };
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

/**
 * How many travelers match a filter; with `upTo`, counting stops past that many (the answer is then upTo + 1), so
 * a broad filter costs what a narrow one does.
 */
export async function countTravelers(filter: TravelerFilter, now: Date = new Date(), upTo?: number): Promise<number> {
  const onlyCrossed =
    filter.crossed && !filter.q && !filter.esim && !filter.departing && !filter.idle && !filter.campaign;
  const onlySearch =
    filter.q && !filter.esim && !filter.departing && !filter.crossed && !filter.idle && !filter.campaign;
  if (upTo !== undefined && onlySearch) return countSearchUpTo(filter.q, upTo);
  const limit = upTo === undefined ? Prisma.empty : Prisma.sql`LIMIT ${upTo + 1}`;
  // "Crossed N%" alone counts straight off the UsageSample(percent, at) index instead of probing every traveler.
  const count = onlyCrossed
    ? await db().$queryRaw<{ n: bigint }[]>`
        SELECT COUNT(*) AS n FROM (SELECT DISTINCT u."externalUserId" FROM "UsageSample" u
        WHERE u."percent" = ${filter.crossed}::int
          AND u."at" > ${at(now)} - make_interval(days => ${filter.crossedDays}::int) AND u."at" <= ${at(now)}
        ${limit}) c`
    : await db().$queryRaw<{ n: bigint }[]>`
        SELECT COUNT(*) AS n FROM (SELECT 1 FROM "Traveler" t ${whereClause(filter, now)} ${limit}) c`;
  return Number(count[0]?.n ?? 0);
}

/**
 * The travelers list works within its first 1 000 matches (decision 0067): it counts exactly up to that many
 * ("more than 1 000" past it) and pages through them, 20 pages of 50; a search or filter narrows, the other sort
 * order shows the other end, and the CSV export holds up to TRAVELER_EXPORT_MAX_ROWS. So every list request touches
 * at most about 1 000 index entries for its count and its page, however many travelers there are.
 */
export const TRAVELER_LIST_WINDOW = 1_000;
export const TRAVELER_LIST_PAGES = TRAVELER_LIST_WINDOW / TRAVELER_PAGE_SIZE;

export type TravelerPage = {
  rows: TravelerRow[];
  /** How many travelers match; with `totalIsMore`, more than this many. */
  total: number;
  totalIsMore: boolean;
  pageSize: number;
};

/**
 * One page of travelers: search (prefix on any id), filters, sort. The page's ids are chosen first with only the
 * sort key computed, then the shown columns are read for those 50 rows alone. `countUpTo` bounds the count (the
 * list's window); without it the total is exact (alerts and the overview compare it with thresholds).
 */
export async function searchTravelers(
  query: TravelerQuery,
  now: Date = new Date(),
  options: { countUpTo?: number } = {},
): Promise<TravelerPage> {
  const { key, order } = sortPlan(query.sort, now);
  const maintained = maintainedColumnOf(query.sort);
  const page = () =>
    rowsFor(
      // Unfiltered, a maintained column's page comes off its index; filtered, from the (few) matching travelers.
      maintained && filterKey(query) === ""
        ? maintainedSortedPage(maintained, query.sort.startsWith("-"), now, query.page)
        : Prisma.sql`
    SELECT t."externalUserId", ${key} AS k FROM "Traveler" t ${whereClause(query, now)}
    ORDER BY k ${order}, t."externalUserId" ASC
    LIMIT ${TRAVELER_PAGE_SIZE} OFFSET ${(query.page - 1) * TRAVELER_PAGE_SIZE}`,
      order,
      now,
    );
  const { countUpTo } = options;
  const onlySearch =
    query.q && !query.esim && !query.departing && !query.crossed && !query.idle && !query.campaign && !maintained;
  const [rows, counted] = await Promise.all([
    // A search alone, sorted by an indexed column (last event, external_user_id), within the list's window: one
    // statement picks the page from the matches when they fit the window, else (dense matches) by walking the
    // sort's index (searchHits, "walk"); PostgreSQL runs only the branch its one-time filter lets through.
    onlySearch && countUpTo !== undefined
      ? rowsFor(
          Prisma.sql`
    WITH hits AS MATERIALIZED (${searchHitsUpTo(query.q, countUpTo)}),
      dense AS MATERIALIZED (SELECT COUNT(*) > ${countUpTo} AS v FROM hits)
    (SELECT t."externalUserId", ${key} AS k FROM "Traveler" t
      WHERE NOT (SELECT v FROM dense) AND t."externalUserId" IN (SELECT "externalUserId" FROM hits)
      ORDER BY k ${order}, t."externalUserId" ASC
      LIMIT ${TRAVELER_PAGE_SIZE} OFFSET ${(query.page - 1) * TRAVELER_PAGE_SIZE})
    UNION ALL
    (SELECT t."externalUserId", ${key} AS k FROM "Traveler" t
      WHERE (SELECT v FROM dense) AND ${searchHits(query.q, true)}
      ORDER BY k ${order}, t."externalUserId" ASC
      LIMIT ${TRAVELER_PAGE_SIZE} OFFSET ${(query.page - 1) * TRAVELER_PAGE_SIZE})`,
          order,
          now,
        )
      : page(),
    countTravelers(query, now, countUpTo),
  ]);
  const totalIsMore = countUpTo !== undefined && counted > countUpTo;
  return {
    rows: rows.map(toRow),
    total: totalIsMore ? countUpTo : counted,
    totalIsMore,
    pageSize: TRAVELER_PAGE_SIZE,
  };
}

/** The travelers list's page: searchTravelers within the list's window (page ≤ TRAVELER_LIST_PAGES). */
export function listTravelers(query: TravelerQuery, now: Date = new Date()): Promise<TravelerPage> {
  return searchTravelers({ ...query, page: Math.min(query.page, TRAVELER_LIST_PAGES) }, now, {
    countUpTo: TRAVELER_LIST_WINDOW,
  });
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
