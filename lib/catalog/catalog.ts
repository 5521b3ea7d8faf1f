import "server-only";
import { z } from "zod";
import { db } from "../db";
import type { HubbyClient } from "../hubby/client";
import type { Destination, DestinationDetail } from "../hubby/schemas";
import type { CatalogDestinationView } from "./views";
import { countryName, flagEmoji, toIso2 } from "./names";

/**
 * Hubby's destination catalog (GET /api/destinations, then GET /api/destinations/{id} for bundles and prices),
 * cached in the database: issuing and previews read the cache, a Refresh re-reads Hubby. The response JSON is
 * undocumented (reference §4.6), so fields are read defensively and names come from ISO 3166.
 */

const DETAIL_CONCURRENCY = 4;

type CatalogHubby = Pick<HubbyClient, "listDestinations" | "getDestination">;

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim()) return value.trim();
  if (value && typeof value === "object" && "en" in value && typeof value.en === "string") return value.en;
  return undefined;
}

const cents = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? Math.round(value * 100) : null;

const finite = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const MB = 1024 ** 2;
const GB = 1024 ** 3;
const DAY_SECONDS = 86_400;

/** §6.4 names the size in bytes, megabytes and gigabytes: the first one a bundle carries, as bytes (binary units). */
function bundleBytes(bundle: Record<string, unknown>): bigint | null {
  const bytes = finite(bundle.size_in_bytes);
  if (bytes !== undefined) return BigInt(Math.round(bytes));
  const megabytes = finite(bundle.size_in_megabytes);
  if (megabytes !== undefined) return BigInt(Math.round(megabytes * MB));
  const gigabytes = finite(bundle.size_in_gigabytes);
  return gigabytes === undefined ? null : BigInt(Math.round(gigabytes * GB));
}

/** §6.4 names the duration in days and in seconds. */
function bundleDays(bundle: Record<string, unknown>): number | null {
  const days = finite(bundle.duration_in_days);
  if (days !== undefined) return Math.round(days);
  const seconds = finite(bundle.duration_in_seconds);
  return seconds === undefined ? null : Math.round(seconds / DAY_SECONDS);
}

/** One destination as stored: kind, name, the countries it covers (ISO2), and its bundles. */
export function normalizeDestination(destination: Destination | DestinationDetail) {
  const loose = destination as Record<string, unknown>;
  const iso2 = toIso2(destination.id) ?? (typeof destination.iso3 === "string" ? toIso2(destination.iso3) : undefined);
  const isCountry = destination.type ? destination.type === "country" : iso2 !== undefined;
  const covered = Array.isArray(loose.iso3s)
    ? loose.iso3s.flatMap((code) => (typeof code === "string" ? (toIso2(code) ?? []) : []))
    : [];
  const bundles = "bundles" in destination && Array.isArray(destination.bundles) ? destination.bundles : [];
  return {
    id: isCountry && iso2 ? iso2 : destination.id.toUpperCase(),
    kind: isCountry ? ("country" as const) : ("region" as const),
    name: (isCountry && iso2 ? countryName(iso2) : undefined) ?? text(destination.name) ?? destination.id,
    iso3: destination.iso3 ?? null,
    type: destination.type ?? null,
    countries: isCountry && iso2 ? [iso2] : [...new Set(covered)].sort(),
    bundles: bundles.map((bundle) => ({
      id: bundle.id,
      type: bundle.type ?? "data-limited",
      label: bundle.label ?? bundle.id,
      sizeBytes: bundleBytes(bundle),
      durationDays: bundleDays(bundle),
      b2bCents: cents(bundle.b2b_price),
      b2cCents: cents(bundle.b2c_price),
      currency: bundle.currency ?? null,
      visible: (bundle as Record<string, unknown>).is_visible !== false,
    })),
  };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!);
      }
    }),
  );
  return results;
}

/** Re-reads the whole catalog from Hubby and replaces the cache in one transaction. */
export async function refreshCatalog(hubby: CatalogHubby): Promise<{ destinations: number; bundles: number }> {
  const list = await hubby.listDestinations();
  const details = await mapLimit(list, DETAIL_CONCURRENCY, (destination) => hubby.getDestination(destination.id));
  const rows = details.map(normalizeDestination);
  const fetchedAt = new Date();
  await db().$transaction(async (tx) => {
    await tx.catalogBundle.deleteMany({});
    await tx.catalogDestination.deleteMany({});
    await tx.catalogDestination.createMany({
      data: rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        name: row.name,
        iso3: row.iso3,
        type: row.type,
        countries: row.countries,
        fetchedAt,
      })),
      skipDuplicates: true,
    });
    await tx.catalogBundle.createMany({
      data: rows.flatMap((row) => row.bundles.map((bundle) => ({ ...bundle, destinationId: row.id }))),
      skipDuplicates: true,
    });
  });
  return { destinations: rows.length, bundles: rows.reduce((sum, row) => sum + row.bundles.length, 0) };
}

/** When the cache was last filled; null when it never was. */
export async function catalogAsOf(): Promise<Date | null> {
  const row = await db().catalogDestination.findFirst({ orderBy: { fetchedAt: "desc" }, select: { fetchedAt: true } });
  return row?.fetchedAt ?? null;
}

/** The whole cached catalog for the booking form and quotes: countries, then regions, each by name. */
export async function loadCatalog(): Promise<CatalogDestinationView[]> {
  const rows = await db().catalogDestination.findMany({
    include: { bundles: { where: { visible: true } } },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind === "region" ? "region" : "country",
    name: row.name,
    iso3: row.iso3,
    countries: row.countries,
    bundles: row.bundles.map((bundle) => ({
      id: bundle.id,
      type: bundle.type,
      label: bundle.label,
      sizeBytes: bundle.sizeBytes === null ? null : Number(bundle.sizeBytes),
      durationDays: bundle.durationDays,
      b2bCents: bundle.b2bCents,
      b2cCents: bundle.b2cCents,
      currency: bundle.currency,
    })),
  }));
}

export const catalogQuerySchema = z.object({
  q: z.string().trim().max(100).catch(""),
  kind: z.enum(["all", "country", "region"]).catch("all"),
});
export type CatalogQuery = z.infer<typeof catalogQuerySchema>;

export type CatalogRow = {
  id: string;
  kind: "country" | "region";
  name: string;
  flag: string;
  countries: { iso2: string; name: string; flag: string }[];
  bundles: {
    id: string;
    type: string;
    label: string;
    durationDays: number | null;
    b2bCents: number | null;
    b2cCents: number | null;
    currency: string | null;
    visible: boolean;
  }[];
};

/** The /catalog screen: destinations matching the search (name, code, or a country a region covers). */
export async function searchCatalog(query: CatalogQuery): Promise<CatalogRow[]> {
  const rows = await db().catalogDestination.findMany({
    where: query.kind === "all" ? {} : { kind: query.kind },
    include: { bundles: true },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
  });
  const needle = query.q.toLowerCase();
  const names = (iso2: string) => countryName(iso2) ?? iso2;
  return rows
    .filter(
      (row) =>
        !needle ||
        row.id.toLowerCase() === needle ||
        row.name.toLowerCase().includes(needle) ||
        (row.iso3 ?? "").toLowerCase() === needle ||
        (row.kind === "region" &&
          row.countries.some((iso2) => iso2.toLowerCase() === needle || names(iso2).toLowerCase().includes(needle))),
    )
    .map((row) => ({
      id: row.id,
      kind: row.kind === "region" ? "region" : "country",
      name: row.name,
      flag: row.kind === "region" ? "🌐" : flagEmoji(row.id),
      countries: row.countries.map((iso2) => ({ iso2, name: names(iso2), flag: flagEmoji(iso2) })),
      bundles: row.bundles
        .sort((a, b) => a.type.localeCompare(b.type) || Number((a.sizeBytes ?? 0n) - (b.sizeBytes ?? 0n)))
        .map((bundle) => ({
          id: bundle.id,
          type: bundle.type,
          label: bundle.label,
          durationDays: bundle.durationDays,
          b2bCents: bundle.b2bCents,
          b2cCents: bundle.b2cCents,
          currency: bundle.currency,
          visible: bundle.visible,
        })),
    }));
}
