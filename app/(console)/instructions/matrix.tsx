import { Suspense } from "react";
import type { CurrentStaff } from "@/lib/auth/staff";
import { hubbyFor } from "@/lib/hubby";
import { SUPPORTED_LOCALES } from "@/lib/hubby/locales";
import {
  auditPreview,
  explainFailure,
  fetchPreview,
  publicPreview,
  type PreviewFailure,
  type Preview,
} from "@/lib/instructions/preview";
import {
  encodeRow,
  MAX_MATRIX_LOCALES,
  MAX_MATRIX_ROWS,
  phoneOsLabels,
  PRESET_ROWS,
  previewLabel,
  type MatrixRow,
  type PreviewInputs,
} from "@/lib/instructions/schemas";
import { getRequestId } from "@/lib/request-id";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { BrandingLine, CompatibilityLine, PlatformNotes, PreviewProblem, PreviewViewer } from "./preview-view";
import { SaveSnapshotButton } from "./save-snapshot-button";

/**
 * The comparison matrix: devices (rows) × locales (columns), chosen in a GET form so the choice lives in the URL.
 * Every cell is its own async server component under its own Suspense boundary: Hubby is asked for all cells at
 * once and each cell streams in with its own loading and error state.
 */

const inlineLabel = "flex flex-col gap-1 text-xs text-muted-foreground";
const phoneOsOptions = Object.entries(phoneOsLabels).map(([value, label]) => ({ value, label }));

export function MatrixForm({
  externalUserId,
  rows,
  locales,
  brand,
  devices,
}: {
  externalUserId: string;
  rows: MatrixRow[];
  locales: string[];
  brand: string | undefined;
  devices: { phone_brand: string; phone_model: string }[];
}) {
  const chosen = new Set(rows.map(encodeRow));
  const custom = rows.find((row) => !PRESET_ROWS.some((preset) => encodeRow(preset) === encodeRow(row)));
  return (
    <form method="get" action="/instructions" className="flex flex-col gap-3" aria-label="Compare instructions">
      <input type="hidden" name="externalUserId" value={externalUserId} />
      <fieldset className="flex flex-col gap-1">
        <legend className="text-xs text-muted-foreground">Devices (up to {MAX_MATRIX_ROWS})</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {PRESET_ROWS.map((row) => (
            <label key={encodeRow(row)} className="flex items-center gap-1 text-sm">
              <input type="checkbox" name="row" value={encodeRow(row)} defaultChecked={chosen.has(encodeRow(row))} />
              {row.device} · {phoneOsLabels[row.phoneOs]} {row.osVersion}
            </label>
          ))}
        </div>
        <div className="flex flex-wrap items-end gap-2">
          <label className={inlineLabel}>
            Another device
            <Input
              name="customDevice"
              list="matrix-devices"
              className="w-56"
              placeholder="e.g. Samsung Galaxy S23"
              defaultValue={custom?.device}
            />
          </label>
          <datalist id="matrix-devices">
            {devices.map((d) => (
              <option key={`${d.phone_brand} ${d.phone_model}`} value={`${d.phone_brand} ${d.phone_model}`} />
            ))}
          </datalist>
          <label className={inlineLabel}>
            OS
            <Select
              name="customOs"
              className="w-28"
              defaultValue={custom?.phoneOs ?? "android"}
              options={phoneOsOptions}
            />
          </label>
          <label className={inlineLabel}>
            Version
            <Input name="customVersion" className="w-20" placeholder="14" defaultValue={custom?.osVersion} />
          </label>
        </div>
      </fieldset>
      <fieldset className="flex flex-col gap-1">
        <legend className="text-xs text-muted-foreground">Locales (up to {MAX_MATRIX_LOCALES})</legend>
        <div className="grid grid-cols-3 gap-x-4 gap-y-1 sm:grid-cols-6 lg:grid-cols-10">
          {SUPPORTED_LOCALES.map((locale) => (
            <label key={locale} className="flex items-center gap-1 text-sm">
              <input type="checkbox" name="locale" value={locale} defaultChecked={locales.includes(locale)} />
              {locale}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-end gap-2">
        <label className={inlineLabel}>
          Brand key (custom_branding)
          <Input name="brand" className="w-56" placeholder="optional" defaultValue={brand} />
        </label>
        <Button type="submit" variant="outline">
          Compare
        </Button>
      </div>
    </form>
  );
}

export function Matrix({
  staff,
  externalUserId,
  rows,
  locales,
  brand,
  lpa,
}: {
  staff: CurrentStaff;
  externalUserId: string;
  rows: MatrixRow[];
  locales: string[];
  brand: string | undefined;
  lpa: string | null;
}) {
  return (
    <div className="overflow-x-auto" role="region" aria-label="Instructions matrix (scrollable)" tabIndex={0}>
      <table className="w-full border-separate border-spacing-2" data-testid="matrix">
        <thead>
          <tr>
            <th scope="col" className="w-64 text-left text-xs font-medium text-muted-foreground">
              Device
            </th>
            {locales.map((locale) => (
              <th key={locale} scope="col" className="min-w-80 text-left text-sm font-semibold">
                {locale}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={encodeRow(row)}>
              <th scope="row" className="align-top text-left text-sm font-normal">
                <div className="flex flex-col gap-2">
                  <strong>
                    {row.device} · {phoneOsLabels[row.phoneOs]} {row.osVersion}
                  </strong>
                  <PlatformNotes phoneOs={row.phoneOs} osVersion={row.osVersion} lpa={lpa} />
                </div>
              </th>
              {locales.map((locale) => {
                const inputs: PreviewInputs = {
                  externalUserId,
                  device: row.device,
                  deviceType: "phone",
                  phoneOs: row.phoneOs,
                  osVersion: row.osVersion,
                  locale,
                  format: "html",
                  customBranding: brand,
                };
                return (
                  <td key={locale} className="align-top" data-testid="matrix-cell">
                    <Suspense fallback={<CellLoading label={previewLabel(inputs)} />}>
                      <MatrixCell staff={staff} inputs={inputs} />
                    </Suspense>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CellLoading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="flex h-[480px] flex-col gap-2 rounded-md border border-border p-3">
      <span className="text-xs text-muted-foreground">Asking Hubby: {label}…</span>
      <div className="h-full animate-pulse rounded bg-muted" />
    </div>
  );
}

async function MatrixCell({ staff, inputs }: { staff: CurrentStaff; inputs: PreviewInputs }) {
  const requestId = await getRequestId();
  let outcome: { ok: true; preview: Preview } | { ok: false; failure: PreviewFailure };
  try {
    const hubby = await hubbyFor(staff);
    const preview = publicPreview(await fetchPreview(hubby, inputs));
    outcome = { ok: true, preview };
  } catch (error) {
    let failure: PreviewFailure;
    try {
      failure = explainFailure(error, inputs);
    } catch {
      // Not Hubby's refusal: keep the other cells, log it, and show the reference.
      console.error(`[instructions matrix] request ${requestId} failed:`, error);
      failure = { title: "Something went wrong", message: `This cell could not be shown. Reference: ${requestId}` };
    }
    outcome = { ok: false, failure };
  }
  await auditPreview(staff, inputs, outcome, requestId, { matrix: true });
  if (!outcome.ok) return <PreviewProblem title={outcome.failure.title} message={outcome.failure.message} />;
  const { preview } = outcome;
  return (
    <div className="flex flex-col gap-2" data-testid="matrix-cell-ready">
      <BrandingLine branding={preview.branding} />
      <CompatibilityLine compatible={preview.compatible} device={inputs.device} />
      <PreviewViewer view={preview.view} title={`Instructions: ${previewLabel(inputs)}`} compact />
      <SaveSnapshotButton inputs={inputs} size="sm" />
    </div>
  );
}
