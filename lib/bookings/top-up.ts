import "server-only";
import { db } from "../db";
import type { HubbyClient } from "../hubby/client";
import type { CurrentEsimPackage } from "../hubby/schemas";
import { toIso2 } from "../catalog/names";
import type { CatalogDestinationView } from "./quote";

/**
 * What a top-up form starts with: the traveler's current destination, as a catalog id, and the time zone the
 * traveler is probably in (that destination's, when it has one). Read from Hubby's live dashboard (the current
 * package's `destination_iso3`, reference §4.5) and, when Hubby has none or does not answer, from the console's
 * stored traveler state (the packages its webhooks reported).
 */

export type TopUpDefaults = {
  destinationId: string | null;
  /** An IANA zone, only when the destination has exactly one. */
  timeZone: string | null;
  source: "hubby" | "stored" | null;
  /** When these were worked out: the form's departure starts soon after it. */
  at: number;
};

/** ISO3 (`ITA`), ISO2 (`IT`) or a region code (`EU`) → the catalog's id for it. */
export function catalogIdFor(code: string, catalog: CatalogDestinationView[]): string | null {
  const upper = code.trim().toUpperCase();
  if (!upper) return null;
  const direct = catalog.find((destination) => destination.id === upper || destination.iso3?.toUpperCase() === upper);
  if (direct) return direct.id;
  const iso2 = toIso2(upper);
  return iso2 && catalog.some((destination) => destination.id === iso2) ? iso2 : null;
}

type LocaleWithZones = Intl.Locale & { timeZones?: string[]; getTimeZones?: () => string[] };

/** The one IANA zone of a country (`IT` → Europe/Rome); null for regions and countries with several zones. */
export function singleTimeZone(iso2: string): string | null {
  if (!/^[A-Z]{2}$/.test(iso2)) return null;
  try {
    const locale = new Intl.Locale(`und-${iso2}`) as LocaleWithZones;
    const zones = locale.getTimeZones?.() ?? locale.timeZones ?? [];
    return zones.length === 1 ? zones[0]! : null;
  } catch {
    return null;
  }
}

/** The package that is the traveler's current one: an active package, the most recently assigned first. */
function currentPackage(packages: CurrentEsimPackage[]): CurrentEsimPackage | undefined {
  const assigned = (pkg: CurrentEsimPackage) => Date.parse(pkg.assigned_at ?? "") || 0;
  const ordered = [...packages].sort((a, b) => assigned(b) - assigned(a));
  return ordered.find((pkg) => pkg.status?.toUpperCase() === "ACTIVE") ?? ordered[0];
}

async function liveDestination(externalUserId: string, hubby: Pick<HubbyClient, "getUserDashboard">) {
  try {
    const dashboard = await hubby.getUserDashboard(externalUserId);
    return currentPackage(dashboard.current_esim_packages)?.destination_iso3 ?? null;
  } catch {
    // Hubby down, slow, or no such traveler: the stored state may still know.
    return null;
  }
}

/** From the console's stored packages: the latest activated one that has not expired, else the latest seen. */
async function storedDestination(externalUserId: string, now: Date): Promise<string | null> {
  const current = await db().travelerPackage.findFirst({
    where: {
      externalUserId,
      destination: { not: null },
      activatedAt: { not: null },
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    orderBy: { activatedAt: "desc" },
    select: { destination: true },
  });
  if (current?.destination) return current.destination;
  const latest = await db().travelerPackage.findFirst({
    where: { externalUserId, destination: { not: null } },
    orderBy: { lastSeenAt: "desc" },
    select: { destination: true },
  });
  return latest?.destination ?? null;
}

export async function topUpDefaults(
  externalUserId: string,
  catalog: CatalogDestinationView[],
  hubby: Pick<HubbyClient, "getUserDashboard">,
  now: Date = new Date(),
): Promise<TopUpDefaults> {
  if (!externalUserId) return { destinationId: null, timeZone: null, source: null, at: now.getTime() };
  let source: TopUpDefaults["source"] = null;
  let destinationId: string | null = null;
  const live = await liveDestination(externalUserId, hubby);
  if (live) {
    destinationId = catalogIdFor(live, catalog);
    source = destinationId ? "hubby" : null;
  }
  if (!destinationId) {
    const stored = await storedDestination(externalUserId, now);
    destinationId = stored ? catalogIdFor(stored, catalog) : null;
    source = destinationId ? "stored" : null;
  }
  const destination = catalog.find((candidate) => candidate.id === destinationId);
  return {
    destinationId,
    timeZone: destination?.kind === "country" ? singleTimeZone(destination.id) : null,
    source,
    at: now.getTime(),
  };
}
