import { describe, expect, it } from "vitest";
import { detectGaps, type JourneyBooking, type JourneyEvent, type JourneyFacts } from "./gaps";

const at = (day: number, hour = 0) => new Date(Date.UTC(2026, 6, 1 + day, hour)).toISOString();
const event = (type: string, day: number, extra: Partial<JourneyEvent> = {}): JourneyEvent => ({
  type,
  at: at(day),
  bookingId: "bk_1",
  packageId: null,
  ...extra,
});
const booking = (extra: Partial<JourneyBooking> = {}): JourneyBooking => ({
  bookingId: "bk_1",
  departsAt: null,
  withinCutoffAt: null,
  withinCutoffEsimInstalled: null,
  aboutToDepartAt: null,
  aboutToDepartEsimInstalled: null,
  ...extra,
});
const facts = (extra: Partial<JourneyFacts>): JourneyFacts => ({
  now: at(20),
  events: [],
  bookings: [],
  packages: [],
  ...extra,
});
const kinds = (input: JourneyFacts) => detectGaps(input).map((gap) => gap.kind);

describe("detectGaps", () => {
  it("a clean journey has no gaps", () => {
    const clean = facts({
      events: [
        event("esim.installed", 1),
        event("package.activated", 5, { packageId: "pk_1" }),
        event("package.usage.20_percent", 6, { packageId: "pk_1" }),
        event("package.usage.50_percent", 7, { packageId: "pk_1" }),
        event("package.usage.80_percent", 8, { packageId: "pk_1" }),
      ],
      bookings: [
        booking({
          departsAt: at(5),
          withinCutoffAt: at(0),
          withinCutoffEsimInstalled: true,
          aboutToDepartAt: at(4, 22),
          aboutToDepartEsimInstalled: true,
        }),
      ],
      packages: [{ packageId: "pk_1", bookingId: "bk_1", activatedAt: at(5) }],
    });
    expect(detectGaps(clean)).toEqual([]);
  });

  it("flags a departure that passed without an install, and notes a later install", () => {
    const gaps = detectGaps(facts({ bookings: [booking({ departsAt: at(5) })] }));
    expect(gaps).toEqual([
      expect.objectContaining({ kind: "departed_without_install", at: at(5), bookingId: "bk_1", resolvedAt: null }),
    ]);
    expect(gaps[0]!.message).toContain("no eSIM install recorded");

    const later = detectGaps(
      facts({ events: [event("esim.installed", 6)], bookings: [booking({ departsAt: at(5) })] }),
    );
    expect(later[0]).toMatchObject({ kind: "departed_without_install", resolvedAt: at(6) });
  });

  it("counts a removal before departure as not installed", () => {
    const gaps = detectGaps(
      facts({
        events: [event("esim.installed", 1), event("esim.removed", 3)],
        bookings: [booking({ departsAt: at(5) })],
      }),
    );
    expect(gaps.map((gap) => gap.kind)).toEqual(["departed_without_install"]);
    expect(gaps[0]!.message).toContain("not installed");
  });

  it("does not flag a departure still ahead", () => {
    expect(kinds(facts({ now: at(2), bookings: [booking({ departsAt: at(5) })] }))).toEqual([]);
  });

  it("trusts Hubby's about-to-depart flag as evidence of an install", () => {
    expect(
      kinds(
        facts({
          bookings: [booking({ departsAt: at(5), aboutToDepartAt: at(4), aboutToDepartEsimInstalled: true })],
        }),
      ),
    ).toEqual([]);
  });

  it("flags an activation without an install event before it", () => {
    const gaps = detectGaps(
      facts({
        events: [event("esim.installed", 6)],
        packages: [{ packageId: "pk_1", bookingId: "bk_1", activatedAt: at(5) }],
      }),
    );
    expect(gaps).toEqual([
      expect.objectContaining({ kind: "activated_without_install_event", at: at(5), packageId: "pk_1" }),
    ]);
  });

  it("flags 80% without 50%, and 50% without 20%", () => {
    const gaps = detectGaps(
      facts({
        events: [
          event("esim.installed", 1),
          event("package.usage.20_percent", 6, { packageId: "pk_a" }),
          event("package.usage.80_percent", 8, { packageId: "pk_a" }),
          event("package.usage.50_percent", 9, { packageId: "pk_b", bookingId: "bk_2" }),
        ],
      }),
    );
    expect(gaps).toEqual([
      expect.objectContaining({ kind: "usage_threshold_skipped", at: at(9), packageId: "pk_b", bookingId: "bk_2" }),
      expect.objectContaining({ kind: "usage_threshold_skipped", at: at(8), packageId: "pk_a" }),
    ]);
    expect(gaps[0]!.message).toBe("Package pk_b reached 50% without the 20% event.");
    expect(gaps[1]!.message).toBe("Package pk_a reached 80% without the 50% event.");
  });

  it("names both missing thresholds when only 80% arrived", () => {
    const [gap] = detectGaps(facts({ events: [event("package.usage.80_percent", 8, { packageId: "pk_a" })] }));
    expect(gap!.message).toBe("Package pk_a reached 80% without the 20% and 50% events.");
  });

  it("flags about-to-depart and within-cutoff reminders that found the eSIM not installed", () => {
    const gaps = detectGaps(
      facts({
        now: at(3),
        events: [event("esim.installed", 2, { bookingId: null })],
        bookings: [
          booking({
            departsAt: at(4),
            withinCutoffAt: at(0),
            withinCutoffEsimInstalled: false,
            aboutToDepartAt: at(3, 22),
            aboutToDepartEsimInstalled: false,
          }),
        ],
      }),
    );
    expect(gaps.map((gap) => [gap.kind, gap.resolvedAt])).toEqual([
      ["about_to_depart_not_installed", null],
      ["within_cutoff_not_installed", at(2)],
    ]);
  });

  it("lists gaps newest first", () => {
    const gaps = detectGaps(
      facts({
        bookings: [booking({ bookingId: "old", departsAt: at(2) }), booking({ bookingId: "new", departsAt: at(9) })],
      }),
    );
    expect(gaps.map((gap) => gap.bookingId)).toEqual(["new", "old"]);
  });
});
