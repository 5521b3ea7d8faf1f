import { describe, expect, it } from "vitest";
import { builtInTravelerViews, filterKey, parseTravelerQuery, travelersHref, viewQuery } from "./filters";

describe("travelers URL state", () => {
  it("reads filters, sort, page and hidden columns, dropping what it does not know", () => {
    const query = parseTravelerQuery(
      "q=%20cust_1%20&esim=removed&departing=48&crossed=80&crossedDays=7&idle=30&sort=-usage&page=2&hide=usage,bogus",
    );
    expect(query).toMatchObject({
      q: "cust_1",
      esim: "removed",
      departing: 48,
      crossed: 80,
      crossedDays: 7,
      idle: 30,
      sort: "-usage",
      page: 2,
      hide: ["usage"],
    });
    expect(parseTravelerQuery("esim=x&departing=0&crossed=33&idle=&sort=nope&page=-1")).toMatchObject({
      esim: undefined,
      departing: undefined,
      crossed: undefined,
      idle: undefined,
      sort: "-lastEvent",
      page: 1,
      hide: [],
    });
  });

  it("keeps old lastSeenAt sort links working", () => {
    expect(parseTravelerQuery("sort=-lastSeenAt").sort).toBe("-lastEvent");
  });

  it("accepts repeated hide parameters from Next's searchParams", () => {
    expect(parseTravelerQuery({ hide: ["usage", "esim"] }).hide).toEqual(["esim", "usage"]);
  });

  it("gives one canonical filter string, whatever the parameter order", () => {
    const a = parseTravelerQuery("departing=48&esim=not_installed&page=3&hide=usage");
    const b = parseTravelerQuery("esim=not_installed&departing=48&sort=departure");
    expect(filterKey(a)).toBe("esim=not_installed&departing=48");
    expect(filterKey(a)).toBe(filterKey(b));
    expect(filterKey(parseTravelerQuery("crossedDays=3"))).toBe("");
  });

  it("stores a view as filter plus a non-default sort, and builds list links", () => {
    expect(viewQuery(parseTravelerQuery("idle=30&sort=lastEvent&page=2"))).toBe("idle=30&sort=lastEvent");
    expect(viewQuery(parseTravelerQuery("idle=30&sort=-lastEvent"))).toBe("idle=30");
    expect(travelersHref({ ...parseTravelerQuery("esim=removed"), page: 2, hide: ["usage"] })).toBe(
      "/travelers?esim=removed&page=2&hide=usage",
    );
    expect(travelersHref({})).toBe("/travelers");
  });

  it("ships the four built-in views with valid filters", () => {
    expect(builtInTravelerViews.map((view) => view.name)).toEqual([
      "Departing within 48 h, eSIM not installed",
      "Crossed 80% in the last 7 days",
      "eSIM removed",
      "No activity for 30 days",
    ]);
    for (const view of builtInTravelerViews) expect(viewQuery(parseTravelerQuery(view.query))).toBe(view.query);
  });
});
