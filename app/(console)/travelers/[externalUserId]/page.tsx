import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { audit } from "@/lib/audit/audit";
import { requirePermission } from "@/lib/auth/staff";
import { getRequestId } from "@/lib/request-id";
import { hubbyForPage } from "@/lib/hubby";
import { readTravelerView, travelerRouteParams } from "@/lib/travelers/timeline";
import { storedTraveler } from "@/lib/travelers/traveler";
import { parseRouteParams, type RawSearchParams } from "@/lib/url-params";
import { askHubby, AskingHubby, TravelerFromHubby, TravelerPageView } from "./traveler-view";

export const metadata: Metadata = { title: "Traveler" };

/**
 * The traveler page streams (docs/decisions/0046): Hubby is asked at once, but only the parts that need its reply
 * wait for it, each in its own Suspense boundary; the header and the stored state are sent first.
 */
export default async function TravelerPage({
  params,
  searchParams,
}: {
  params: Promise<{ externalUserId: string }>;
  searchParams: Promise<RawSearchParams>;
}) {
  const staff = await requirePermission("travelers.search");
  const route = parseRouteParams(travelerRouteParams, await params);
  if (!route) notFound();
  const { externalUserId } = route;
  const { values: view, ignored } = readTravelerView(await searchParams);
  // Every opening of a traveler's page is a read of personal data: recorded before anything is read.
  await audit({
    actor: staff,
    action: "travelers.view",
    targetType: "traveler",
    targetId: externalUserId,
    externalUserId,
    result: "ok",
    details: { tab: view.tab },
    requestId: await getRequestId(),
  });
  const fetchedAt = new Date();
  const hubby = await hubbyForPage(staff);
  const liveResult = askHubby(hubby, externalUserId);
  const stored = await storedTraveler(externalUserId);
  const props = { staff, hubby, externalUserId, view, ignored, fetchedAt, liveResult };
  if (!stored.traveler) {
    // Nothing stored to show first: whether there is a traveler at all is Hubby's answer.
    return (
      <Suspense fallback={<AskingHubby externalUserId={externalUserId} />}>
        <TravelerFromHubby {...props} />
      </Suspense>
    );
  }
  return <TravelerPageView {...props} stored={stored} />;
}
