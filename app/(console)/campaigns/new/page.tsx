import type { Metadata } from "next";
import Link from "next/link";

import { requirePermission } from "@/lib/auth/staff";
import { CAMPAIGN_FIELDS, REQUIRED_FIELDS } from "@/lib/campaigns/rows";
import { catalogAsOf } from "@/lib/catalog/catalog";
import { UploadForm } from "./upload-form";
import { utcStamp } from "@/lib/format";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  await requirePermission("campaigns.run");
  const asOf = await catalogAsOf();
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">New campaign</h1>
        <p className="text-sm text-muted-foreground">
          Issues one booking per row of a CSV file. The first step is always a dry run: every row is checked against the
          booking rules and the cached catalog (as of{" "}
          {asOf ? utcStamp(asOf) : "never — refresh it on the Catalog screen"}) and nothing is sent. Columns:{" "}
          {CAMPAIGN_FIELDS.map((field) => (REQUIRED_FIELDS.includes(field) ? field : `${field} (optional)`)).join(", ")}
          ; several destinations separated by <code>;</code>. A row with an empty external_user_id issues one promo code
          (a booking without a traveler) instead of a package on a traveler&apos;s eSIM.{" "}
          <Link href="/campaigns/template.csv" className="underline" prefetch={false}>
            Download the template
          </Link>
          .
        </p>
      </div>
      <UploadForm fields={[...CAMPAIGN_FIELDS]} required={[...REQUIRED_FIELDS]} />
    </div>
  );
}
