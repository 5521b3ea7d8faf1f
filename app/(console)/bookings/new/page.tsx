import crypto from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { z } from "zod";
import { audit } from "@/lib/audit/audit";
import { may } from "@/lib/auth/roles";
import { requirePermission } from "@/lib/auth/staff";
import { destinationOptions } from "@/lib/bookings/destination-options";
import { PACKAGE_TYPES } from "@/lib/bookings/request";
import { supportTopUpLimit } from "@/lib/bookings/settings";
import { topUpDefaults, type TopUpDefaults } from "@/lib/bookings/top-up";
import { catalogRefreshStatus } from "@/lib/catalog/background";
import { catalogAsOf, loadCatalog } from "@/lib/catalog/catalog";
import { hubbyForPage } from "@/lib/hubby";
import { SUPPORTED_LANGUAGES, SUPPORTED_LOCALES } from "@/lib/hubby/locales";
import { getRequestId } from "@/lib/request-id";
import { parseSearchParams, urlText, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { RefreshCatalogButton } from "../../catalog/refresh-button";
import { RefreshWhileReading } from "../../catalog/refresh-while-reading";
import { BookingForm } from "./booking-form";
import { IssueModeTabs } from "./issue-mode-tabs";
import { PromoCodesIssue } from "./promo-codes-issue";
import { utcStamp } from "@/lib/format";

export const metadata: Metadata = { title: "New booking" };

const timeZones = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];

const newBookingQuerySchema = z.object({
  /** "1" opens the form as a top-up of an existing traveler. */
  topUp: z.literal("1").optional().catch(undefined),
  /** The traveler to fill in, from the traveler page's "Top up" link. */
  externalUserId: urlText(200).catch(""),
  /** "promo" issues promo codes (a booking without a traveler) instead. */
  mode: z.literal("promo").optional().catch(undefined),
});

export default async function NewBookingPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { values: query, ignored } = parseSearchParams(newBookingQuerySchema, await searchParams);
  const topUp = query.topUp === "1";
  const staff = await requirePermission("bookings.topUp");
  if (!topUp && query.mode === "promo") return <PromoCodesIssue staff={staff} />;
  if (!topUp && !may(staff, "bookings.issue")) {
    await audit({
      actor: staff,
      action: "bookings.issue",
      result: "refused",
      details: { reason: "role may only top up", via: "/bookings/new" },
      requestId: await getRequestId(),
    });
    forbidden();
  }

  const [catalog, asOf, limit] = await Promise.all([loadCatalog(), catalogAsOf(), supportTopUpLimit()]);
  const reading = await catalogRefreshStatus();
  const defaults: TopUpDefaults | null =
    topUp && catalog.length > 0 ? await topUpDefaults(query.externalUserId, catalog, await hubbyForPage(staff)) : null;
  const options = destinationOptions(catalog);

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">{topUp ? "Top up a traveler" : "New booking"}</h1>
        {!topUp && may(staff, "promoCodes.issue") && <IssueModeTabs current="travelers" />}
        <p className="text-sm text-muted-foreground">
          {topUp
            ? "Queues more data on an existing traveler's eSIM (a data-limited package). Every top-up is audited with its reason."
            : "Issues paid packages to one or more travelers. You will see the exact request and its cost before anything is sent."}{" "}
          <span data-testid="booking-catalog-as-of">
            Catalog as of {asOf ? utcStamp(asOf) : reading.running ? "now: it is being read from Hubby" : "never"}
          </span>{" "}
          (
          <Link href="/catalog" className="underline">
            catalog
          </Link>
          ).
        </p>
      </div>
      <IgnoredParamsNotice names={ignored} />
      {catalog.length === 0 ? (
        <div className="flex flex-col items-start gap-2 rounded-lg border p-4 text-sm" data-testid="catalog-missing">
          {reading.running ? (
            <>
              <p>Hubby&apos;s destination catalog is being read; the form appears as soon as it is in.</p>
              <RefreshWhileReading />
            </>
          ) : (
            <>
              <p>
                The destination catalog has not been read from Hubby yet
                {reading.lastFailure ? ` (the last attempt failed: ${reading.lastFailure.message})` : ""}. Refresh it to
                choose destinations and sizes.
              </p>
              <RefreshCatalogButton />
            </>
          )}
        </div>
      ) : (
        <BookingForm
          clientKey={crypto.randomUUID()}
          kind={topUp ? "top_up" : "issue"}
          catalog={options}
          languages={SUPPORTED_LANGUAGES}
          locales={SUPPORTED_LOCALES}
          timeZones={timeZones}
          initialTravelers={query.externalUserId}
          initialDestination={defaults?.destinationId ?? null}
          initialTimeZone={defaults?.timeZone && timeZones.includes(defaults.timeZone) ? defaults.timeZone : null}
          departSoonAfter={defaults?.at ?? null}
          packageTypes={topUp ? ["data-limited"] : PACKAGE_TYPES}
          limitNote={
            topUp && !may(staff, "bookings.issue")
              ? `Support may top up at most ${limit.size} per traveler (set by an admin).`
              : undefined
          }
        />
      )}
    </div>
  );
}
