"use client";
import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/actions";
import type { Preview } from "@/lib/instructions/preview";
import { DEVICE_TYPES, INSTRUCTION_FORMATS, phoneOsLabels, previewLabel } from "@/lib/instructions/schemas";
import { SUPPORTED_LOCALES } from "@/lib/hubby/locales";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { previewInstructionsAction } from "./actions";
import { BrandingLine, CompatibilityLine, PlatformNotes, PreviewProblem, PreviewViewer } from "./preview-view";
import { SaveSnapshotButton } from "./save-snapshot-button";

type Device = { phone_brand: string; phone_model: string };

const formatLabels: Record<(typeof INSTRUCTION_FORMATS)[number], string> = {
  html: "HTML",
  json: "JSON",
  markdown: "Markdown",
};

/** One preview: the form, then the sanitized instructions in their frame with branding and platform notes. */
export function PreviewPanel({
  externalUserId,
  devices,
  lpa,
  defaultLocale,
}: {
  externalUserId: string;
  devices: Device[];
  lpa: string | null;
  defaultLocale: string;
}) {
  const [result, preview, pending] = useActionState<ActionResult<Preview> | null, FormData>(
    previewInstructionsAction,
    null,
  );
  const [phoneOs, setPhoneOs] = useState<"ios" | "android">("ios");
  const errors = result?.ok === false ? result.fieldErrors : undefined;

  // Picking a listed Apple device selects iOS, anything else Android (still editable).
  function onDeviceChange(value: string) {
    const listed = devices.find((d) => `${d.phone_brand} ${d.phone_model}` === value);
    if (listed) setPhoneOs(listed.phone_brand === "Apple" ? "ios" : "android");
  }

  return (
    <div className="flex flex-col gap-4">
      <form action={preview} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Preview instructions">
        <input type="hidden" name="externalUserId" value={externalUserId} />
        <Field id="preview-device" label="Device" errors={errors?.device} hint="From Hubby's list, or typed">
          {(props) => (
            <>
              <Input
                {...props}
                name="device"
                list="preview-devices"
                defaultValue="Apple iPhone 15 Pro"
                onChange={(event) => onDeviceChange(event.target.value)}
                required
              />
              <datalist id="preview-devices">
                {devices.map((d) => (
                  <option key={`${d.phone_brand} ${d.phone_model}`} value={`${d.phone_brand} ${d.phone_model}`} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field id="preview-device-type" label="Device type" errors={errors?.deviceType}>
          {(props) => (
            <Select {...props} name="deviceType" defaultValue="phone">
              {DEVICE_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="preview-os" label="OS" errors={errors?.phoneOs}>
          {(props) => (
            <Select
              {...props}
              name="phoneOs"
              value={phoneOs}
              onChange={(event) => setPhoneOs(event.target.value === "android" ? "android" : "ios")}
            >
              {Object.entries(phoneOsLabels).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="preview-os-version" label="OS version" errors={errors?.osVersion} hint="e.g. 17.4, 16 or 15">
          {(props) => <Input {...props} name="osVersion" defaultValue="17.4" required />}
        </Field>
        <Field id="preview-locale" label="Locale" errors={errors?.locale}>
          {(props) => (
            <Select {...props} name="locale" defaultValue={defaultLocale}>
              {SUPPORTED_LOCALES.map((locale) => (
                <option key={locale} value={locale}>
                  {locale}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="preview-format" label="Format" errors={errors?.format}>
          {(props) => (
            <Select {...props} name="format" defaultValue="html">
              {INSTRUCTION_FORMATS.map((format) => (
                <option key={format} value={format}>
                  {formatLabels[format]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          id="preview-brand"
          label="Brand key (custom_branding)"
          errors={errors?.customBranding}
          hint="Optional: preview a sub-brand before issuing"
        >
          {(props) => <Input {...props} name="customBranding" placeholder="e.g. brand_luxury_travel" />}
        </Field>
        <div className="flex items-end">
          <Button type="submit" disabled={pending}>
            {pending ? "Asking Hubby…" : "Preview"}
          </Button>
        </div>
      </form>

      {pending && (
        <p role="status" className="text-sm text-muted-foreground">
          Asking Hubby for the instructions…
        </p>
      )}
      {!pending && result?.ok === false && (
        <PreviewProblem title="The instructions could not be shown" message={result.message} />
      )}
      {!pending && result?.ok && (
        <section className="grid gap-4 lg:grid-cols-[1fr_20rem]" aria-label="Preview result">
          <div className="flex flex-col gap-2">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="text-sm font-semibold" data-testid="preview-label">
                {previewLabel(result.data.inputs)} ({formatLabels[result.data.inputs.format]})
              </h3>
              <SaveSnapshotButton inputs={result.data.inputs} />
            </div>
            <BrandingLine branding={result.data.branding} />
            <CompatibilityLine compatible={result.data.compatible} device={result.data.inputs.device} />
            <PreviewViewer view={result.data.view} title={`Instructions: ${previewLabel(result.data.inputs)}`} />
          </div>
          <PlatformNotes phoneOs={result.data.inputs.phoneOs} osVersion={result.data.inputs.osVersion} lpa={lpa} />
        </section>
      )}
    </div>
  );
}
