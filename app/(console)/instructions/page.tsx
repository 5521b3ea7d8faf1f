import type { Metadata } from "next";
import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { requirePermission } from "@/lib/auth/staff";

import { HubbyApiError, hubbyForPage } from "@/lib/hubby";
import { isSupportedLocale } from "@/lib/hubby/locales";
import { instructionSnapshotsFor } from "@/lib/instructions/snapshots";
import {
  DEFAULT_MATRIX_LOCALES,
  instructionsQuerySchema,
  MATRIX_REPEATED_KEYS,
  matrixQuerySchema,
  PRESET_ROWS,
  type MatrixQuery,
} from "@/lib/instructions/schemas";
import { compatibleDevices } from "@/lib/travelers/devices";
import { parseSearchParams, searchParamsRecord, type RawSearchParams } from "@/lib/url-params";
import { IgnoredParamsNotice } from "@/components/ignored-params-notice";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FilterField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Matrix, MatrixForm } from "./matrix";
import { PreviewPanel } from "./preview-panel";
import { utcStamp } from "@/lib/format";

export const metadata: Metadata = { title: "Instructions" };

const utc = (value: Date) => utcStamp(value);

type TravelerState =
  | { found: true; lpa: string | null; esimStatus: string | null; locale: string | null }
  | { found: false; problem: string };

async function travelerState(
  hubby: Awaited<ReturnType<typeof hubbyForPage>>,
  externalUserId: string,
): Promise<TravelerState> {
  try {
    const dashboard = await hubby.getUserDashboard(externalUserId);
    const locale = (dashboard as { user?: { locale?: unknown } }).user?.locale;
    return {
      found: true,
      lpa: dashboard.current_esim?.qr ?? null,
      esimStatus: dashboard.current_esim?.status ?? null,
      locale: typeof locale === "string" ? locale : null,
    };
  } catch (error) {
    if (!(error instanceof HubbyApiError)) throw error;
    return {
      found: false,
      problem:
        error.status === 404
          ? `Hubby does not know a traveler “${externalUserId}”. external_user_id is case-sensitive: check it, or find the traveler on the Travelers screen.`
          : `Hubby could not be asked about this traveler: ${error.message} Previews below may fail the same way.`,
    };
  }
}

export default async function InstructionsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const staff = await requirePermission("instructions.preview");
  // The matrix's schema reports its own problems below; values with control characters never reach it.
  const { record: params, refused } = searchParamsRecord(await searchParams, { repeatable: MATRIX_REPEATED_KEYS });
  const { values: query, ignored } = parseSearchParams(instructionsQuerySchema, params);
  const externalUserId = query.externalUserId || null;
  const hubby = await hubbyForPage(staff);

  const [devices, traveler, snapshots] = await Promise.all([
    compatibleDevices(hubby),
    externalUserId ? travelerState(hubby, externalUserId) : null,
    externalUserId ? instructionSnapshotsFor(externalUserId, 20) : [],
  ]);
  const lpa = traveler?.found ? traveler.lpa : null;

  const comparing = params.row !== undefined || params.locale !== undefined || params.customDevice !== undefined;
  const parsedMatrix = comparing ? matrixQuerySchema.safeParse(params) : null;
  const matrix: MatrixQuery | null = parsedMatrix?.success ? parsedMatrix.data : null;
  const matrixProblem = parsedMatrix && !parsedMatrix.success ? parsedMatrix.error.issues[0]?.message : null;
  const emptyMatrix = matrix && (matrix.rows.length === 0 || matrix.locales.length === 0);

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">Installation instructions</h1>
        <p className="text-sm text-muted-foreground">
          What a traveler&apos;s phone shows: Hubby&apos;s branded instructions for a device, OS version and language,
          sanitized and shown in a locked-down frame (no scripts, no forms, no links out).
        </p>
      </div>

      <IgnoredParamsNotice names={[...new Set([...refused, ...ignored])]} />

      <form method="get" action="/instructions" className="flex flex-wrap items-end gap-2" aria-label="Choose traveler">
        <FilterField id="instructions-traveler" label="Traveler (external_user_id)">
          <Input
            id="instructions-traveler"
            name="externalUserId"
            className="w-72"
            defaultValue={externalUserId ?? ""}
            required
            maxLength={200}
          />
        </FilterField>
        <Button type="submit" variant="outline">
          Choose traveler
        </Button>
        {externalUserId && (
          <Link className="text-sm underline" href={`/travelers/${encodeURIComponent(externalUserId)}`}>
            Open traveler page
          </Link>
        )}
      </form>

      {!externalUserId && (
        <p className="text-sm text-muted-foreground">
          Hubby generates instructions per traveler (their eSIM and partner branding), so choose a traveler first.
        </p>
      )}

      {externalUserId && traveler && (
        <>
          {traveler.found ? (
            <p className="text-sm text-muted-foreground" data-testid="traveler-esim">
              eSIM:{" "}
              {traveler.esimStatus ? (
                <Badge variant={traveler.esimStatus === "RELEASED" ? "warning" : "info"}>{traveler.esimStatus}</Badge>
              ) : (
                "none yet (waiting for a booking)"
              )}
              {traveler.lpa ? " · the platform notes show this traveler's own install links." : ""}
            </p>
          ) : (
            <p
              role="alert"
              className="flex items-center gap-2 rounded-md bg-amber-100 p-3 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
            >
              <AlertTriangle className="h-4 w-4 shrink-0" aria-hidden />
              {traveler.problem}
            </p>
          )}

          <Card>
            <CardHeader>
              <CardTitle>Preview</CardTitle>
              <CardDescription>
                One device and language. Campaign managers can try a brand key (custom_branding) here before issuing
                bookings with it.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <PreviewPanel
                externalUserId={externalUserId}
                devices={devices}
                lpa={lpa}
                defaultLocale={
                  traveler.found && traveler.locale && isSupportedLocale(traveler.locale) ? traveler.locale : "en-GB"
                }
              />
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Compare devices and languages</CardTitle>
              <CardDescription>
                Each cell asks Hubby separately, all at once, and shows up when it is ready.
              </CardDescription>
            </CardHeader>
            <CardContent className="flex flex-col gap-4">
              <MatrixForm
                externalUserId={externalUserId}
                rows={matrix?.rows ?? (comparing ? [] : PRESET_ROWS.slice(0, 3))}
                locales={matrix?.locales ?? (comparing ? [] : [...DEFAULT_MATRIX_LOCALES])}
                brand={matrix?.brand}
                devices={devices}
              />
              {matrixProblem && (
                <p role="alert" className="text-sm text-destructive">
                  {matrixProblem}
                </p>
              )}
              {emptyMatrix && (
                <p role="alert" className="text-sm text-destructive">
                  Choose at least one device and one locale to compare.
                </p>
              )}
              {matrix && !emptyMatrix && (
                <Matrix
                  staff={staff}
                  externalUserId={externalUserId}
                  rows={matrix.rows}
                  locales={matrix.locales}
                  brand={matrix.brand}
                  lpa={lpa}
                />
              )}
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Saved snapshots</CardTitle>
              <CardDescription>What support saved of this traveler&apos;s instructions, newest first.</CardDescription>
            </CardHeader>
            <CardContent>
              {snapshots.length === 0 ? (
                <p className="text-sm text-muted-foreground">None yet.</p>
              ) : (
                <ul className="flex flex-col gap-1 text-sm" data-testid="snapshot-list">
                  {snapshots.map((snapshot) => (
                    <li key={snapshot.id}>
                      <Link className="underline" href={snapshot.href}>
                        {snapshot.title}
                      </Link>{" "}
                      <span className="text-xs text-muted-foreground">
                        {utc(snapshot.at)} · {snapshot.staffEmail ?? "unknown staff"}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        </>
      )}
    </div>
  );
}
