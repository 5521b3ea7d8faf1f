"use client";
import { useState } from "react";
import { DEVICE_TYPES, INSTRUCTION_FORMATS, phoneOsLabels, previewLabel } from "@/lib/instructions/options";
import { SUPPORTED_LOCALES } from "@/lib/hubby/locales";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
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
const formatOptions = INSTRUCTION_FORMATS.map((format) => ({ value: format, label: formatLabels[format] }));
const phoneOsOptions = Object.entries(phoneOsLabels).map(([value, label]) => ({ value, label }));

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
  const { result, run: preview, pending, fieldErrors: errors } = useServerAction(previewInstructionsAction);
  const [phoneOs, setPhoneOs] = useState<"ios" | "android">("ios");

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
          {(props) => <Select {...props} name="deviceType" defaultValue="phone" options={DEVICE_TYPES} />}
        </Field>
        <Field id="preview-os" label="OS" errors={errors?.phoneOs}>
          {(props) => (
            <Select
              {...props}
              name="phoneOs"
              value={phoneOs}
              onChange={(event) => setPhoneOs(event.target.value === "android" ? "android" : "ios")}
              options={phoneOsOptions}
            />
          )}
        </Field>
        <Field id="preview-os-version" label="OS version" errors={errors?.osVersion} hint="e.g. 17.4, 16 or 15">
          {(props) => <Input {...props} name="osVersion" defaultValue="17.4" required />}
        </Field>
        <Field id="preview-locale" label="Locale" errors={errors?.locale}>
          {(props) => <Select {...props} name="locale" defaultValue={defaultLocale} options={SUPPORTED_LOCALES} />}
        </Field>
        <Field id="preview-format" label="Format" errors={errors?.format}>
          {(props) => <Select {...props} name="format" defaultValue="html" options={formatOptions} />}
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
          <SubmitButton pending={pending} pendingLabel="Asking Hubby…">
            Preview
          </SubmitButton>
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
