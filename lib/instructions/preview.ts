import "server-only";
import { ActionError, type FieldErrors } from "../errors";
import { audit } from "../audit/audit";
import type { CurrentStaff } from "../auth/staff";
import { hubbyConnection } from "../env";
import type { HubbyClient } from "../hubby/client";
import { HubbyApiError } from "../hubby/errors";
import { previewDocument } from "./frame";
import { readInstructions, reportedBranding, reportedLocale, type InstructionsContent } from "./reply";
import { hasVisibleContent, sanitizeInstructionsHtml } from "./sanitize";
import { hubbyFieldToInput, phoneOsLabels, type PreviewInputs } from "./schemas";

/** What the preview screens show: the content in its natural form, never raw HTML outside the sandboxed frame. */
export type PreviewView =
  { kind: "html"; srcDoc: string } | { kind: "text"; text: string } | { kind: "json"; text: string };

export type BrandingInfo = {
  requested: string | null;
  /** What Hubby says it applied, when it says; otherwise null. */
  appliedKey: string | null;
  appliedName: string | null;
  reported: boolean;
};

export type Preview = {
  inputs: PreviewInputs;
  view: PreviewView;
  branding: BrandingInfo;
  locale: string | null;
  /** Hubby's compatibility list for this device; null when it could not be asked. */
  compatible: boolean | null;
};

/** What is stored in a snapshot: sanitized HTML, or the non-HTML reply as it came (shown as text, never as markup). */
export type PreviewRecord = Preview & { storedHtml: string | null; storedContent: unknown };

/** The part of a preview the browser gets (the stored forms stay on the server). */
export function publicPreview(record: PreviewRecord): Preview {
  return {
    inputs: record.inputs,
    view: record.view,
    branding: record.branding,
    locale: record.locale,
    compatible: record.compatible,
  };
}

export type PreviewFailure = { title: string; message: string; fieldErrors?: FieldErrors };

/** In sandbox mode the instructions' logo comes from the local sandbox over http; allow that origin only. */
export function previewImageOrigins(): string[] {
  const connection = hubbyConnection();
  if (connection.environment !== "SANDBOX") return [];
  const origin = new URL(connection.baseUrl).origin;
  return origin.startsWith("http:") ? [origin] : [];
}

export function viewOf(content: InstructionsContent, lang: string | null): PreviewView {
  if (content.kind === "html") {
    const imageOrigins = previewImageOrigins();
    const sanitized = sanitizeInstructionsHtml(content.html, { imageOrigins });
    return { kind: "html", srcDoc: previewDocument(sanitized, { lang: lang ?? undefined, imageOrigins }) };
  }
  if (content.kind === "text") return { kind: "text", text: content.text };
  return { kind: "json", text: JSON.stringify(content.json, null, 2) };
}

/** "Apple iPhone 15 Pro" → brand "Apple", model "iPhone 15 Pro" (Hubby's check is lenient about the split). */
function splitDevice(device: string): { phone_brand: string; phone_model: string } {
  const [first, ...rest] = device.trim().split(/\s+/);
  return rest.length ? { phone_brand: first!, phone_model: rest.join(" ") } : { phone_brand: "", phone_model: device };
}

async function isCompatible(hubby: HubbyClient, device: string): Promise<boolean | null> {
  try {
    return (await hubby.checkDeviceCompatibility(splitDevice(device))).is_compatible;
  } catch {
    // The compatibility note is a hint; the preview never fails over it.
    return null;
  }
}

/** Asks Hubby for the instructions and reduces the reply to what may be shown. Throws HubbyApiError or ActionError. */
export async function fetchPreview(hubby: HubbyClient, inputs: PreviewInputs): Promise<PreviewRecord> {
  const [reply, compatible] = await Promise.all([
    hubby.getInstructions({
      format: inputs.format,
      external_user_id: inputs.externalUserId,
      device_name: inputs.device,
      device_type: inputs.deviceType,
      phone_os: inputs.phoneOs,
      os_version: inputs.osVersion,
      locale: inputs.locale,
      ...(inputs.customBranding ? { custom_branding: inputs.customBranding } : {}),
    }),
    isCompatible(hubby, inputs.device),
  ]);
  const content = readInstructions(reply, inputs.format);
  const reported = reportedBranding(reply);
  const locale = reportedLocale(reply) ?? inputs.locale;
  let storedHtml: string | null = null;
  if (content.kind === "html") {
    storedHtml = sanitizeInstructionsHtml(content.html, { imageOrigins: previewImageOrigins() });
    if (!hasVisibleContent(storedHtml)) {
      throw new ActionError(
        "Hubby answered, but nothing was left to show once unsafe markup was removed. Try again or another format.",
      );
    }
  } else if (content.kind === "text" ? !content.text.trim() : content.json === null) {
    throw new ActionError("Hubby answered with empty instructions. Try again or another format.");
  }
  return {
    inputs,
    view: viewOf(storedHtml === null ? content : { kind: "html", html: storedHtml }, locale),
    branding: {
      requested: inputs.customBranding ?? null,
      appliedKey: reported?.key ?? null,
      appliedName: reported?.name ?? null,
      reported: reported !== null,
    },
    locale,
    compatible,
    storedHtml,
    storedContent: content.kind === "html" ? null : typeof reply === "string" ? { text: reply } : reply,
  };
}

const FIELD_LABELS: Record<string, string> = {
  externalUserId: "the traveler",
  device: "the device",
  deviceType: "the device type",
  phoneOs: "the OS",
  osVersion: "the OS version",
  locale: "the locale",
  format: "the format",
  customBranding: "the brand key",
};

/** Hubby's refusal, said for this screen: which input was wrong, or that Hubby is down, with the request id. */
export function explainFailure(
  error: unknown,
  inputs: Pick<PreviewInputs, "externalUserId" | "device">,
): PreviewFailure {
  if (error instanceof ActionError) return { title: "Nothing to show", message: error.message };
  if (!(error instanceof HubbyApiError)) throw error;
  const reference = ` (Hubby request ${error.requestId})`;
  if (error.status === 404) {
    return {
      title: "Unknown traveler",
      message: `Hubby does not know a traveler “${inputs.externalUserId}”. external_user_id is case-sensitive; check it or search for the traveler.${reference}`,
      fieldErrors: { externalUserId: ["Hubby does not know this traveler."] },
    };
  }
  if (error.kind === "timeout") {
    return {
      title: "Hubby did not answer",
      message: `Hubby did not answer in time. The inputs are fine as far as the console can tell; try again in a moment.${reference}`,
    };
  }
  if (error.kind === "network" || (error.status !== undefined && error.status >= 500)) {
    return { title: "Hubby is unavailable", message: `${error.message}${reference}` };
  }
  if (error.kind === "invalid_response") {
    return { title: "Unreadable reply", message: `${error.message}${reference}` };
  }
  if (error.status === 401 || error.status === 403) {
    return { title: "Hubby refused the console", message: `${error.message}${reference}` };
  }
  const field = error.fieldError;
  const input = field ? hubbyFieldToInput[field.field] : undefined;
  const unsupported =
    input === "device" || /unsupported|not supported|compatib/i.test(`${field?.issue ?? ""} ${error.message}`);
  return {
    title: unsupported ? "Unsupported device" : "Hubby rejected the request",
    message: input
      ? `Hubby rejected ${FIELD_LABELS[input]}${input === "device" ? ` “${inputs.device}”` : ""}: ${field!.issue}.${reference}`
      : `${error.message}${reference}`,
    fieldErrors: input ? { [input]: [`Hubby: ${field!.issue}`] } : undefined,
  };
}

export async function auditPreview(
  staff: Pick<CurrentStaff, "id" | "email">,
  inputs: PreviewInputs,
  outcome: { ok: true; preview: Preview } | { ok: false; failure: PreviewFailure },
  requestId: string | undefined,
  context: { matrix?: boolean } = {},
) {
  await audit({
    actor: staff,
    action: "instructions.preview",
    targetType: "traveler",
    targetId: inputs.externalUserId,
    externalUserId: inputs.externalUserId,
    result: outcome.ok ? "ok" : "error",
    details: {
      device: inputs.device,
      deviceType: inputs.deviceType,
      os: `${phoneOsLabels[inputs.phoneOs]} ${inputs.osVersion}`,
      locale: inputs.locale,
      format: inputs.format,
      customBranding: inputs.customBranding ?? null,
      ...(context.matrix ? { matrix: true } : {}),
      ...(outcome.ok
        ? { appliedBranding: outcome.preview.branding.appliedKey }
        : { error: `${outcome.failure.title}: ${outcome.failure.message}` }),
    },
    requestId,
  });
}

/**
 * One preview for the preview screen: fetched, reduced to what may be shown, and audited either way by auditPreview
 * (the comparison matrix writes the same entries), so a failure comes back as an ActionError already audited.
 */
export async function previewForStaff(
  hubby: HubbyClient,
  staff: Pick<CurrentStaff, "id" | "email">,
  inputs: PreviewInputs,
  requestId: string,
): Promise<Preview> {
  try {
    const preview = publicPreview(await fetchPreview(hubby, inputs));
    await auditPreview(staff, inputs, { ok: true, preview }, requestId);
    return preview;
  } catch (error) {
    const failure = explainFailure(error, inputs);
    await auditPreview(staff, inputs, { ok: false, failure }, requestId);
    throw new ActionError(failure.message, { fieldErrors: failure.fieldErrors, audited: true });
  }
}
