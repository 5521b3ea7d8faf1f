import { describe, expect, it } from "vitest";
import {
  PACKAGE_SIZES,
  bookingDraftSchema,
  buildBookingRequest,
  bytesPerTraveler,
  departureSoonAfter,
  formFieldForHubbyField,
  pastDeparture,
  wallClock,
  zonedDateTime,
  type BookingDraft,
} from "./request";

const draft = (overrides: Partial<BookingDraft> = {}): BookingDraft => ({
  travelers: ["traveler_1"],
  specs: [{ destinations: ["GR"], packageType: "data-limited", size: "1GB" }],
  departureDate: "2026-07-15",
  departureTime: "14:30",
  timeZone: "Europe/Amsterdam",
  locale: "",
  customBranding: undefined,
  ...overrides,
});

describe("zonedDateTime", () => {
  it("uses the zone's offset at that moment, summer and winter", () => {
    expect(zonedDateTime("2026-07-15", "14:30", "Europe/Amsterdam")).toMatchObject({
      ok: true,
      iso: "2026-07-15T14:30:00+02:00",
    });
    expect(zonedDateTime("2026-01-15", "14:30", "Europe/Amsterdam")).toMatchObject({
      iso: "2026-01-15T14:30:00+01:00",
    });
    expect(zonedDateTime("2026-07-15", "09:00", "America/New_York")).toMatchObject({
      iso: "2026-07-15T09:00:00-04:00",
    });
    expect(zonedDateTime("2026-07-15", "09:00", "Asia/Kolkata")).toMatchObject({ iso: "2026-07-15T09:00:00+05:30" });
    expect(zonedDateTime("2026-07-15", "09:00", "UTC")).toMatchObject({ iso: "2026-07-15T09:00:00+00:00" });
  });

  it("handles the days the clocks change", () => {
    // Europe springs forward at 02:00 on 29 March 2026: 01:59 is +01:00, 03:00 is +02:00, 02:30 never happens.
    expect(zonedDateTime("2026-03-29", "01:59", "Europe/Amsterdam")).toMatchObject({
      iso: "2026-03-29T01:59:00+01:00",
    });
    expect(zonedDateTime("2026-03-29", "03:00", "Europe/Amsterdam")).toMatchObject({
      iso: "2026-03-29T03:00:00+02:00",
    });
    expect(zonedDateTime("2026-03-29", "02:30", "Europe/Amsterdam")).toMatchObject({ ok: false });
    // Falling back on 25 October 2026, 02:30 happens twice: the first (summer time) is taken.
    expect(zonedDateTime("2026-10-25", "02:30", "Europe/Amsterdam")).toMatchObject({
      iso: "2026-10-25T02:30:00+02:00",
    });
    // The US changes on other dates (8 March 2026).
    expect(zonedDateTime("2026-03-08", "12:00", "America/Los_Angeles")).toMatchObject({
      iso: "2026-03-08T12:00:00-07:00",
    });
    expect(zonedDateTime("2026-03-07", "12:00", "America/Los_Angeles")).toMatchObject({
      iso: "2026-03-07T12:00:00-08:00",
    });
  });

  it("the instant is the same moment whatever the zone", () => {
    const amsterdam = zonedDateTime("2026-07-15", "14:30", "Europe/Amsterdam");
    const london = zonedDateTime("2026-07-15", "13:30", "Europe/London");
    expect(amsterdam.ok && london.ok && amsterdam.instant === london.instant).toBe(true);
  });

  it("refuses impossible input", () => {
    expect(zonedDateTime("2026-02-30", "10:00", "UTC")).toMatchObject({ ok: false });
    expect(zonedDateTime("2026-02-10", "24:00", "UTC")).toMatchObject({ ok: false });
    expect(zonedDateTime("2026-02-10", "10:00", "Mars/Olympus")).toMatchObject({ ok: false });
  });
});

describe("buildBookingRequest", () => {
  it("sends the partner reference, the zoned departure, locale and branding", () => {
    const request = buildBookingRequest(draft({ locale: "nl-NL", customBranding: "brand_luxury" }), "hpc-abc");
    expect(request).toEqual({
      booking_id: "hpc-abc",
      departure_date: "2026-07-15T14:30:00+02:00",
      locale: "nl-NL",
      custom_branding: "brand_luxury",
      package_specifications: [
        { external_user_id: "traveler_1", destination: "GR", package_type: "data-limited", size: "1GB" },
      ],
    });
  });

  it("a date alone is sent as a date (about_to_depart then cannot fire)", () => {
    const request = buildBookingRequest(draft({ departureTime: "" }), "hpc-abc");
    expect(request.departure_date).toBe("2026-07-15");
    expect(request).not.toHaveProperty("locale");
    expect(request).not.toHaveProperty("custom_branding");
  });

  it("multi-destination: one booking, every traveler gets every spec, several destinations as an array", () => {
    const request = buildBookingRequest(
      draft({
        travelers: ["a", "b"],
        specs: [
          { destinations: ["GR"], packageType: "data-limited", size: "3GB" },
          { destinations: ["US", "CA", "MX"], packageType: "data-limited", size: "5GB" },
          { destinations: ["JP"], packageType: "unlimited", size: "1GB" },
        ],
      }),
      "hpc-abc",
    );
    expect(request.package_specifications).toEqual([
      { external_user_id: "a", destination: "GR", package_type: "data-limited", size: "3GB" },
      { external_user_id: "a", destination: ["US", "CA", "MX"], package_type: "data-limited", size: "5GB" },
      { external_user_id: "a", destination: "JP", package_type: "unlimited" },
      { external_user_id: "b", destination: "GR", package_type: "data-limited", size: "3GB" },
      { external_user_id: "b", destination: ["US", "CA", "MX"], package_type: "data-limited", size: "5GB" },
      { external_user_id: "b", destination: "JP", package_type: "unlimited" },
    ]);
  });

  it("keeps every documented size exactly as written", () => {
    for (const size of PACKAGE_SIZES) {
      const request = buildBookingRequest(
        draft({ specs: [{ destinations: ["GR"], packageType: "data-limited", size }] }),
        "hpc-abc",
      );
      expect(request.package_specifications[0]!.size).toBe(size);
      expect(request.package_specifications[0]!.size).toMatch(/^[0-9]\d*(\.\d+)?(MB|GB)$/);
    }
  });
});

describe("what a package asks for", () => {
  it("sends the package_duration the catalog's bundle has (time-limited bundles are chosen by days)", () => {
    const request = buildBookingRequest(
      draft({
        specs: [
          { destinations: ["GR"], packageType: "data-limited", size: "3GB", durationDays: 365 },
          { destinations: ["IT"], packageType: "time-limited", size: "5GB", durationDays: 7 },
          { destinations: ["JP"], packageType: "unlimited", durationDays: 7 },
        ],
      }),
      "hpc-abc",
    );
    expect(request.package_specifications).toEqual([
      {
        external_user_id: "traveler_1",
        destination: "GR",
        package_type: "data-limited",
        size: "3GB",
        package_duration: 365,
      },
      {
        external_user_id: "traveler_1",
        destination: "IT",
        package_type: "time-limited",
        size: "5GB",
        package_duration: 7,
      },
      { external_user_id: "traveler_1", destination: "JP", package_type: "unlimited", package_duration: 7 },
    ]);
  });

  it("a bundle picked from the catalog is sent as package_id alone (Hubby ignores every other field)", () => {
    const request = buildBookingRequest(
      draft({
        travelers: ["a", "b"],
        specs: [
          {
            destinations: ["GR"],
            packageType: "data-limited",
            size: "3GB",
            durationDays: 365,
            packageId: "pkg_gr_3gb_dl",
          },
        ],
      }),
      "hpc-abc",
    );
    expect(request.package_specifications).toEqual([
      { external_user_id: "a", package_id: "pkg_gr_3gb_dl" },
      { external_user_id: "b", package_id: "pkg_gr_3gb_dl" },
    ]);
  });
});

describe("departures in the past", () => {
  // 23:30 UTC on 15 July 2026 is already 11:30 on 16 July in Auckland (UTC+12 in winter).
  const now = Date.parse("2026-07-15T23:30:00Z");
  const departure = (departureDate: string, departureTime: string, timeZone: string) =>
    pastDeparture({ departureDate, departureTime, timeZone }, now);

  it("are judged on the clock of the departure's own time zone", () => {
    expect(departure("2026-07-16", "09:00", "UTC")).toBeUndefined();
    expect(departure("2026-07-16", "09:00", "Pacific/Auckland")).toEqual({
      field: "departureTime",
      message: "This time has passed: it is 2026-07-16 11:30 in Pacific/Auckland.",
    });
    expect(departure("2026-07-16", "12:00", "Pacific/Auckland")).toBeUndefined();
  });

  it("a date alone counts for its whole day there", () => {
    expect(departure("2026-07-15", "", "UTC")).toBeUndefined();
    expect(departure("2026-07-15", "", "Pacific/Auckland")).toEqual({
      field: "departureDate",
      message: "This day has passed: it is 2026-07-16 11:30 in Pacific/Auckland.",
    });
    expect(departure("2026-07-14", "23:59", "America/Los_Angeles")).toMatchObject({ field: "departureDate" });
    expect(departure("2026-07-15", "16:31", "America/Los_Angeles")).toBeUndefined();
    expect(departure("2026-07-15", "16:30", "America/Los_Angeles")).toMatchObject({ field: "departureTime" });
  });

  it("a top-up's suggested departure is the next quarter hour on that clock", () => {
    expect(wallClock("Europe/Rome", Date.parse("2026-07-15T12:07:30Z"))).toEqual({ date: "2026-07-15", time: "14:07" });
    expect(departureSoonAfter("Europe/Rome", Date.parse("2026-07-15T12:07:30Z"))).toEqual({
      date: "2026-07-15",
      time: "14:15",
    });
    expect(departureSoonAfter("UTC", Date.parse("2026-07-15T23:45:00Z"))).toEqual({
      date: "2026-07-16",
      time: "00:00",
    });
    const suggested = departureSoonAfter("Asia/Kolkata", now);
    expect(
      pastDeparture({ departureDate: suggested.date, departureTime: suggested.time, timeZone: "Asia/Kolkata" }, now),
    ).toBeUndefined();
  });
});

describe("bytes per traveler", () => {
  it("adds up the specifications' sizes in binary units", () => {
    expect(
      bytesPerTraveler([
        { destinations: ["GR"], packageType: "data-limited", size: "3GB" },
        { destinations: ["IT"], packageType: "data-limited", size: "500MB" },
      ]),
    ).toBe(3 * 1024 ** 3 + 500 * 1024 ** 2);
    expect(bytesPerTraveler([{ destinations: ["IT"], packageType: "unlimited" }])).toBe(Infinity);
  });
});

describe("bookingDraftSchema", () => {
  const raw = {
    travelers: "a\n b ,a,,c",
    specs: [{ destinations: ["GR"], packageType: "data-limited", size: "1GB" }],
    departureDate: "2026-07-15",
    departureTime: "",
    timeZone: "Europe/Amsterdam",
    locale: "",
    customBranding: "",
  };

  it("accepts Hubby's locales and their bare languages (es), nothing else", () => {
    for (const locale of ["es", "en", "nl", "pt-BR", "en-EU", "zh-CN"]) {
      expect(bookingDraftSchema.safeParse({ ...raw, locale }).success, locale).toBe(true);
    }
    for (const locale of ["xx", "mk-MK", "es-MX", "english"]) {
      expect(bookingDraftSchema.safeParse({ ...raw, locale }).error?.issues[0]?.path, locale).toEqual(["locale"]);
    }
  });

  it("takes any size Hubby's pattern allows (the catalog decides what is sold), and whole days", () => {
    const spec = (extra: Record<string, unknown>) => ({
      ...raw,
      specs: [{ destinations: ["GR"], packageType: "data-limited", size: "1GB", ...extra }],
    });
    expect(bookingDraftSchema.safeParse(spec({ size: "1.5GB", durationDays: 30 })).success).toBe(true);
    expect(bookingDraftSchema.safeParse(spec({ size: "5 GB" })).error?.issues[0]?.path).toEqual(["specs", 0, "size"]);
    expect(bookingDraftSchema.safeParse(spec({ durationDays: 2.5 })).error?.issues[0]?.path).toEqual([
      "specs",
      0,
      "durationDays",
    ]);
    expect(
      bookingDraftSchema.safeParse(spec({ destinations: ["GR", "FR"], packageId: "pkg_gr_1gb_dl" })).error?.issues[0],
    ).toMatchObject({ path: ["specs", 0, "destinations"], message: "A bundle belongs to one destination." });
  });

  it("reads travelers one per line or comma-separated, de-duplicated", () => {
    const parsed = bookingDraftSchema.parse(raw);
    expect(parsed.travelers).toEqual(["a", "b", "c"]);
    expect(parsed.customBranding).toBeUndefined();
  });

  it("names the field each problem belongs to", () => {
    const result = bookingDraftSchema.safeParse({
      ...raw,
      travelers: "",
      specs: [{ destinations: [], packageType: "data-limited" }],
      locale: "mk-MK",
      departureTime: "02:30",
      departureDate: "2026-03-29",
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["travelers", "specs.0.destinations", "locale"]));
    expect(
      bookingDraftSchema.safeParse({ ...raw, departureDate: "2026-03-29", departureTime: "02:30" }).error?.issues[0],
    ).toMatchObject({ path: ["departureTime"] });
    expect(
      bookingDraftSchema.safeParse({ ...raw, specs: [{ destinations: ["GR"], packageType: "data-limited" }] }).error
        ?.issues[0],
    ).toMatchObject({ path: ["specs", 0, "size"] });
  });
});

describe("formFieldForHubbyField", () => {
  it("maps Hubby's field paths back to the form", () => {
    expect(formFieldForHubbyField("departure_date", 2)).toBe("departureDate");
    expect(formFieldForHubbyField("package_specifications[3].size", 2)).toBe("specs.1.size");
    expect(formFieldForHubbyField("package_specifications[2].destination", 2)).toBe("specs.0.destinations");
    expect(formFieldForHubbyField("package_specifications[0].external_user_id", 2)).toBe("travelers");
    expect(formFieldForHubbyField("package_specifications[1].package_id", 1)).toBe("specs.0.packageId");
    expect(formFieldForHubbyField("package_specifications[1].package_duration", 2)).toBe("specs.1.size");
    expect(formFieldForHubbyField("custom_branding", 1)).toBe("customBranding");
    expect(formFieldForHubbyField("whatever", 1)).toBe("form");
  });
});
