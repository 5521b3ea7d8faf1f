import { describe, expect, it } from "vitest";
import {
  describePromoCodeFilter,
  parsePromoCodeQuery,
  promoCodeFilterKey,
  promoCodesHref,
  readPromoCodeQuery,
} from "./filters";

const campaign = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

describe("the promo-codes screen's URL state", () => {
  it("reads a full filter and writes it back without defaults or the page", () => {
    const query = parsePromoCodeQuery({
      status: "redeemed",
      source: "console",
      campaign,
      q: " abc ",
      dates: "redeemed",
      from: "2026-07-01",
      to: "2026-07-31",
      page: "3",
    });
    expect(query).toMatchObject({ status: "redeemed", source: "console", campaign, q: "abc", page: 3 });
    expect(promoCodeFilterKey(query)).toBe(
      `status=redeemed&source=console&campaign=${campaign}&q=abc&dates=redeemed&from=2026-07-01&to=2026-07-31`,
    );
    expect(describePromoCodeFilter(query, "Summer")).toBe(
      'redeemed, issued by the console, campaign Summer, code starting "abc", redeemed from 2026-07-01 to 2026-07-31',
    );
  });

  it("falls back to defaults on hostile or empty values, never an error", () => {
    const query = parsePromoCodeQuery({
      status: "everything",
      source: ["outside", "console"],
      campaign: "'; DROP TABLE",
      q: "x".repeat(500),
      dates: "later",
      from: "2026-13-45",
      to: "",
      intent: "nope",
      page: "-4",
    });
    expect(query).toEqual({
      status: "all",
      source: "outside",
      campaign: undefined,
      q: "",
      dates: "issued",
      from: undefined,
      to: undefined,
      intent: undefined,
      page: 1,
    });
    expect(promoCodeFilterKey(query)).toBe("source=outside");
    // The screen names what it could not read; the export refuses it.
    expect(
      readPromoCodeQuery({ q: "abc\u0000", from: "2026-02-30", status: "redeemed", campaign: "" }).ignored.sort(),
    ).toEqual(["from", "q"]);
  });

  it("reads URLSearchParams (the export route) like the page's params", () => {
    const query = parsePromoCodeQuery(new URLSearchParams(`campaign=none&status=issued&page=2`));
    expect(query).toMatchObject({ campaign: "none", status: "issued", page: 2 });
    expect(promoCodesHref({ campaign: "none" })).toBe("/promo-codes?campaign=none");
    expect(promoCodesHref({})).toBe("/promo-codes");
  });
});
