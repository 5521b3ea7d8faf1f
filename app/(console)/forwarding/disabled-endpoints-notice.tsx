import { Suspense } from "react";
import { may, type StaffRole } from "@/lib/auth/roles";
import { disabledEndpoints } from "@/lib/forwarding/queries";
import { DisabledBanner } from "./shared";

/**
 * The console's loud notice that it stopped forwarding to an endpoint (410 Gone, or 5 days of failures): rendered by
 * the console layout on every page for whoever may manage forwarding, so the partner's app does not go quiet
 * unnoticed. It streams in its own boundary: a slow read never holds the page, and a page renders nothing extra
 * while no endpoint is disabled.
 */
export function DisabledEndpointsNotice({ role }: { role: StaffRole }) {
  if (!may({ role }, "forwarding.manage")) return null;
  return (
    <Suspense fallback={null}>
      <DisabledEndpoints />
    </Suspense>
  );
}

async function DisabledEndpoints() {
  const endpoints = await disabledEndpoints();
  if (endpoints.length === 0) return null;
  return (
    <div className="px-4 pt-4 md:px-6" data-testid="forwarding-disabled-notice">
      <DisabledBanner endpoints={endpoints} />
    </div>
  );
}
