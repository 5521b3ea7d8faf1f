import crypto from "node:crypto";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { audit } from "@/lib/audit/audit";
import { may } from "@/lib/auth/roles";
import type { CurrentStaff } from "@/lib/auth/staff";
import { MAX_PROMO_CODES_PER_BOOKING } from "@/lib/bookings/promo-request";
import { PACKAGE_SIZES, PACKAGE_TYPES } from "@/lib/bookings/request";
import { bytesToSize } from "@/lib/hubby/sizes";
import { catalogAsOf, loadCatalog } from "@/lib/catalog/catalog";
import { flagEmoji } from "@/lib/catalog/names";
import { SUPPORTED_LOCALES } from "@/lib/hubby/locales";
import { getRequestId } from "@/lib/request-id";
import { RefreshCatalogButton } from "../../catalog/refresh-button";
import { IssueModeTabs } from "./issue-mode-tabs";
import { PromoCodeForm, type PromoCatalogOption } from "./promo-code-form";
import { utcStamp } from "@/lib/format";

const sizeSet = new Set<string>(PACKAGE_SIZES);

/**
 * /bookings/new?mode=promo: issue promo codes, a booking without external_user_id (reference §4.1). Admins and
 * campaign managers only; anyone else gets 403, audited.
 */
export async function PromoCodesIssue({ staff }: { staff: CurrentStaff }) {
  if (!may(staff, "promoCodes.issue")) {
    await audit({
      actor: staff,
      action: "promo_codes.issue",
      result: "refused",
      details: { reason: "forbidden", role: staff.role, via: "/bookings/new?mode=promo" },
      requestId: await getRequestId(),
    });
    forbidden();
  }
  const [catalog, asOf] = await Promise.all([loadCatalog(), catalogAsOf()]);
  const options: PromoCatalogOption[] = catalog.map((destination) => ({
    id: destination.id,
    name: destination.name,
    kind: destination.kind,
    flag: destination.kind === "region" ? "🌐" : flagEmoji(destination.id),
    sizes: Object.fromEntries(
      PACKAGE_TYPES.map((type) => [
        type,
        destination.bundles
          .filter((bundle) => bundle.type === type && bundle.sizeBytes !== null)
          .sort((a, b) => (a.sizeBytes ?? 0) - (b.sizeBytes ?? 0))
          .map((bundle) => bytesToSize(bundle.sizeBytes!))
          .filter((size) => sizeSet.has(size)),
      ]),
    ),
  }));

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">
        <h1 className="text-xl font-semibold">Issue promo codes</h1>
        <IssueModeTabs current="promo" />
        <p className="text-sm text-muted-foreground">
          A booking without a traveler: Hubby answers with one promo code per package, each with a claim link and a deep
          link to hand out (by email, on a ticket, in an app). Whoever holds a code can redeem it, so treat codes like
          vouchers. You will see the exact request and its cost before anything is sent; the codes are listed on{" "}
          <Link href="/promo-codes" className="underline">
            Promo codes
          </Link>
          . Catalog as of {asOf ? utcStamp(asOf) : "never"}.
        </p>
      </div>
      {catalog.length === 0 ? (
        <div className="flex flex-col items-start gap-2 rounded-lg border p-4 text-sm">
          <p>The destination catalog has not been read from Hubby yet. Refresh it to choose destinations and sizes.</p>
          <RefreshCatalogButton />
        </div>
      ) : (
        <PromoCodeForm
          clientKey={crypto.randomUUID()}
          catalog={options}
          locales={SUPPORTED_LOCALES}
          packageTypes={PACKAGE_TYPES}
          maxCodes={MAX_PROMO_CODES_PER_BOOKING}
          today={new Date().toISOString().slice(0, 10)}
        />
      )}
    </div>
  );
}
