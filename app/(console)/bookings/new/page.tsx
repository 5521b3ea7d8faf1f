import crypto from "node:crypto";
import type { Metadata } from "next";
import { z } from "zod";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { audit } from "@/lib/audit/audit";
import { can, rolesFor } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/staff";
import { sizesFor } from "@/lib/bookings/quote";
import { PACKAGE_TYPES } from "@/lib/bookings/request";
import { supportTopUpLimit } from "@/lib/bookings/settings";
import { catalogAsOf, loadCatalog } from "@/lib/catalog/catalog";
import { flagEmoji } from "@/lib/catalog/names";
import { SUPPORTED_LOCALES } from "@/lib/hubby/locales";
import { getRequestId } from "@/lib/request-id";
import { parseSearchParams, urlText, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { RefreshCatalogButton } from "../../catalog/refresh-button";
import { BookingForm, type CatalogOption } from "./booking-form";
import { IssueModeTabs } from "./issue-mode-tabs";
import { PromoCodesIssue } from "./promo-codes-issue";

export const metadata: Metadata = { title: "New booking" };

const newBookingQuerySchema = z.object({
  /** "1" opens the form as a top-up of an existing traveler. */
  topUp: z.literal("1").optional().catch(undefined),
  /** The traveler to fill in, from the traveler page's "Top up" link. */
  externalUserId: urlText(200).catch(""),
  /** "promo" issues promo codes (a booking without a traveler) instead. */
  mode: z.literal("promo").optional().catch(undefined),
});

const timeZones = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];

export default async function NewBookingPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const { values: query, ignored } = parseSearchParams(newBookingQuerySchema, await searchParams);
  const topUp = query.topUp === "1";
  const staff = await requireStaff(...rolesFor("bookings.topUp"));
  if (!topUp && query.mode === "promo") return <PromoCodesIssue staff={staff} />;
  if (!topUp && !can(staff.role, "bookings.issue")) {
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
  const options: CatalogOption[] = catalog.map((destination) => ({
    id: destination.id,
    name: destination.name,
    kind: destination.kind,
    flag: destination.kind === "region" ? "🌐" : flagEmoji(destination.id),
    sizes: Object.fromEntries(PACKAGE_TYPES.map((type) => [type, sizesFor(destination, type)])),
  }));

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">{topUp ? "Top up a traveler" : "New booking"}</h1>
        {!topUp && can(staff.role, "promoCodes.issue") && <IssueModeTabs current="travelers" />}
        <p className="text-sm text-muted-foreground">
          {topUp
            ? "Queues more data on an existing traveler's eSIM (a data-limited package). Every top-up is audited with its reason."
            : "Issues paid packages to one or more travelers. You will see the exact request and its cost before anything is sent."}{" "}
          Catalog as of {asOf ? `${asOf.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never"} (
          <Link href="/catalog" className="underline">
            catalog
          </Link>
          ).
        </p>
      </div>
      <IgnoredParamsNotice names={ignored} />
      {catalog.length === 0 ? (
        <div className="flex flex-col items-start gap-2 rounded-lg border p-4 text-sm">
          <p>The destination catalog has not been read from Hubby yet. Refresh it to choose destinations and sizes.</p>
          <RefreshCatalogButton />
        </div>
      ) : (
        <BookingForm
          clientKey={crypto.randomUUID()}
          kind={topUp ? "top_up" : "issue"}
          catalog={options}
          locales={SUPPORTED_LOCALES}
          timeZones={timeZones}
          initialTravelers={query.externalUserId}
          packageTypes={topUp ? ["data-limited"] : PACKAGE_TYPES}
          limitNote={
            topUp && !can(staff.role, "bookings.issue")
              ? `Support may top up at most ${limit.size} per traveler (set by an admin).`
              : undefined
          }
        />
      )}
    </div>
  );
}
