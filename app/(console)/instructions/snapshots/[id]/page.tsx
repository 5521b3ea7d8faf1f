import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/staff";

import { getSnapshot } from "@/lib/instructions/snapshots";
import { phoneOsLabels } from "@/lib/instructions/schemas";
import { parseRouteParams, uuidRouteParams } from "@/lib/url-params";
import { PlatformNotes, PreviewViewer } from "../../preview-view";
import { utcStamp } from "@/lib/format";

export const metadata: Metadata = { title: "Instructions snapshot" };

const utc = (value: Date) => utcStamp(value, { precision: "second" });

/** A saved preview, staff-only, rendered the same safe way as a live one. */
export default async function SnapshotPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission("instructions.preview");
  const route = parseRouteParams(uuidRouteParams, await params);
  const snapshot = route && (await getSnapshot(route.id));
  if (!snapshot) notFound();
  const { inputs } = snapshot;

  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link
          href={`/instructions?externalUserId=${encodeURIComponent(snapshot.externalUserId)}`}
          className="text-sm text-muted-foreground hover:underline"
        >
          ← Instructions for {snapshot.externalUserId}
        </Link>
        <h1 className="mt-1 text-xl font-semibold">Instructions snapshot</h1>
        <p className="text-sm text-muted-foreground">{snapshot.title}</p>
      </div>
      <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1 text-sm" data-testid="snapshot-facts">
        <dt className="text-muted-foreground">Traveler</dt>
        <dd>
          <Link className="font-mono underline" href={`/travelers/${encodeURIComponent(snapshot.externalUserId)}`}>
            {snapshot.externalUserId}
          </Link>
        </dd>
        <dt className="text-muted-foreground">Saved</dt>
        <dd>
          {utc(snapshot.createdAt)} by {snapshot.staffEmail ?? "unknown staff"}
        </dd>
        {inputs && (
          <>
            <dt className="text-muted-foreground">Device</dt>
            <dd>
              {inputs.device} ({inputs.deviceType}), {phoneOsLabels[inputs.phoneOs]} {inputs.osVersion}
            </dd>
            <dt className="text-muted-foreground">Locale</dt>
            <dd>{inputs.locale}</dd>
          </>
        )}
        <dt className="text-muted-foreground">Format</dt>
        <dd>{snapshot.format}</dd>
        <dt className="text-muted-foreground">Branding</dt>
        <dd>{snapshot.branding ?? "the partner's own (Hubby did not name it)"}</dd>
      </dl>
      <section className="grid gap-4 lg:grid-cols-[1fr_20rem]">
        <PreviewViewer view={snapshot.view} title={snapshot.title} />
        {inputs && (
          <PlatformNotes
            phoneOs={inputs.phoneOs}
            osVersion={inputs.osVersion}
            lpa={null}
            withoutLpa="their current values are on the traveler page"
          />
        )}
      </section>
    </div>
  );
}
