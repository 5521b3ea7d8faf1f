/**
 * Gaps in a traveler's journey: things that should have happened by now and did not (or whose webhook never
 * arrived). Pure: lib/travelers/traveler.ts reads the facts, the page shows the result.
 */

export type JourneyEvent = {
  /** Webhook event type, e.g. `esim.installed`. */
  type: string;
  /** The event's own time (ISO). */
  at: string;
  bookingId: string | null;
  packageId: string | null;
};

export type JourneyBooking = {
  bookingId: string;
  departsAt: string | null;
  withinCutoffAt: string | null;
  withinCutoffEsimInstalled: boolean | null;
  aboutToDepartAt: string | null;
  aboutToDepartEsimInstalled: boolean | null;
};

export type JourneyPackage = { packageId: string; bookingId: string | null; activatedAt: string | null };

export type JourneyFacts = {
  now: string;
  events: JourneyEvent[];
  bookings: JourneyBooking[];
  packages: JourneyPackage[];
};

export type GapKind =
  | "departed_without_install"
  | "activated_without_install_event"
  | "usage_threshold_skipped"
  | "about_to_depart_not_installed"
  | "within_cutoff_not_installed";

export type Gap = {
  kind: GapKind;
  /** When the gap shows: the departure, the activation, the threshold event or the reminder. */
  at: string;
  bookingId: string | null;
  packageId: string | null;
  message: string;
  /** When a later install closed it, if one did. */
  resolvedAt: string | null;
};

const THRESHOLDS = [20, 50, 80] as const;
const time = (iso: string) => Date.parse(iso);
const utc = (iso: string) => `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC`;

type Observation = { at: number; installed: boolean };

/** Everything that says whether the eSIM was on the phone at some moment, oldest first. */
function installObservations(facts: JourneyFacts): Observation[] {
  const observations: Observation[] = [];
  for (const event of facts.events) {
    if (event.type === "esim.installed") observations.push({ at: time(event.at), installed: true });
    if (event.type === "esim.removed") observations.push({ at: time(event.at), installed: false });
  }
  for (const booking of facts.bookings) {
    if (booking.withinCutoffAt && booking.withinCutoffEsimInstalled !== null) {
      observations.push({ at: time(booking.withinCutoffAt), installed: booking.withinCutoffEsimInstalled });
    }
    if (booking.aboutToDepartAt && booking.aboutToDepartEsimInstalled !== null) {
      observations.push({ at: time(booking.aboutToDepartAt), installed: booking.aboutToDepartEsimInstalled });
    }
  }
  // At equal times an install wins: Hubby's reminder and the install can share a second.
  return observations.sort((a, b) => a.at - b.at || Number(a.installed) - Number(b.installed));
}

function installedAt(observations: Observation[], at: number): boolean | null {
  let state: boolean | null = null;
  for (const observation of observations) {
    if (observation.at > at) break;
    state = observation.installed;
  }
  return state;
}

function firstInstallAfter(events: JourneyEvent[], at: number): string | null {
  const later = events
    .filter((event) => event.type === "esim.installed" && time(event.at) > at)
    .sort((a, b) => time(a.at) - time(b.at));
  return later[0]?.at ?? null;
}

export function detectGaps(facts: JourneyFacts): Gap[] {
  const now = time(facts.now);
  const observations = installObservations(facts);
  const installs = facts.events.filter((event) => event.type === "esim.installed");
  const gaps: Gap[] = [];

  for (const booking of facts.bookings) {
    if (booking.departsAt && time(booking.departsAt) <= now) {
      const departs = time(booking.departsAt);
      const state = installedAt(observations, departs);
      if (state !== true) {
        const resolvedAt = firstInstallAfter(facts.events, departs);
        gaps.push({
          kind: "departed_without_install",
          at: booking.departsAt,
          bookingId: booking.bookingId,
          packageId: null,
          message:
            (state === false
              ? `Departed (${booking.bookingId}) with the eSIM not installed`
              : `Departed (${booking.bookingId}) with no eSIM install recorded before it`) +
            (resolvedAt ? `; installed later, ${utc(resolvedAt)}.` : "."),
          resolvedAt,
        });
      }
    }
    const reminders = [
      {
        kind: "within_cutoff_not_installed" as const,
        at: booking.withinCutoffAt,
        installed: booking.withinCutoffEsimInstalled,
        words: "Within the booking cutoff",
      },
      {
        kind: "about_to_depart_not_installed" as const,
        at: booking.aboutToDepartAt,
        installed: booking.aboutToDepartEsimInstalled,
        words: "About to depart",
      },
    ];
    for (const reminder of reminders) {
      if (!reminder.at || reminder.installed !== false) continue;
      const resolvedAt = firstInstallAfter(facts.events, time(reminder.at));
      gaps.push({
        kind: reminder.kind,
        at: reminder.at,
        bookingId: booking.bookingId,
        packageId: null,
        message:
          `${reminder.words} (${booking.bookingId}) and the eSIM is not installed` +
          (resolvedAt ? `; installed later, ${utc(resolvedAt)}.` : "."),
        resolvedAt,
      });
    }
  }

  for (const pkg of facts.packages) {
    if (!pkg.activatedAt) continue;
    const activated = time(pkg.activatedAt);
    if (!installs.some((event) => time(event.at) <= activated)) {
      gaps.push({
        kind: "activated_without_install_event",
        at: pkg.activatedAt,
        bookingId: pkg.bookingId,
        packageId: pkg.packageId,
        message: `Package ${pkg.packageId} activated with no esim.installed webhook before it (lost webhook? "Refresh from Hubby" re-reads the state).`,
        resolvedAt: null,
      });
    }
  }

  const thresholdsByPackage = new Map<string, Map<number, string>>();
  for (const event of facts.events) {
    const match = /^package\.usage\.(\d+)_percent$/.exec(event.type);
    if (!match || !event.packageId) continue;
    const seen = thresholdsByPackage.get(event.packageId) ?? new Map<number, string>();
    const percent = Number(match[1]);
    const earlier = seen.get(percent);
    if (!earlier || time(event.at) < time(earlier)) seen.set(percent, event.at);
    thresholdsByPackage.set(event.packageId, seen);
  }
  for (const [packageId, seen] of thresholdsByPackage) {
    const highest = Math.max(...THRESHOLDS.filter((threshold) => seen.has(threshold)));
    if (!Number.isFinite(highest)) continue;
    const missing = THRESHOLDS.filter((threshold) => threshold < highest && !seen.has(threshold));
    if (missing.length === 0) continue;
    const bookingId =
      facts.events.find((event) => event.packageId === packageId && event.bookingId)?.bookingId ??
      facts.packages.find((pkg) => pkg.packageId === packageId)?.bookingId ??
      null;
    gaps.push({
      kind: "usage_threshold_skipped",
      at: seen.get(highest)!,
      bookingId,
      packageId,
      message: `Package ${packageId} reached ${highest}% without the ${missing.map((m) => `${m}%`).join(" and ")} event${missing.length > 1 ? "s" : ""}.`,
      resolvedAt: null,
    });
  }

  return gaps.sort((a, b) => time(b.at) - time(a.at));
}
