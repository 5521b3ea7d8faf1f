"use server";
import { runAction, type ActionResult } from "@/lib/actions";
import { ActionError } from "@/lib/errors";
import { hubbyFor } from "@/lib/hubby";
import { HubbyApiError } from "@/lib/hubby/errors";
import { explainFailure, fetchPreview, previewForStaff, type Preview } from "@/lib/instructions/preview";
import { saveSnapshot } from "@/lib/instructions/snapshots";
import { previewInputSchema } from "@/lib/instructions/schemas";

const previewAction = { permission: "instructions.preview", schema: previewInputSchema } as const;

/** Hubby's installation instructions for one traveler, device and locale, sanitized for the preview frame. */
export async function previewInstructionsAction(_prev: unknown, form: FormData): Promise<ActionResult<Preview>> {
  return runAction(
    {
      ...previewAction,
      action: "instructions.preview",
      run: async (inputs, { staff, requestId }) => previewForStaff(await hubbyFor(staff), staff, inputs, requestId),
      // previewForStaff audits every attempt itself, with the entry the comparison matrix writes too.
      audit: "none",
    },
    form,
  );
}

/**
 * Saves a preview to the traveler's timeline. Hubby is asked again with the same inputs, so a snapshot holds what
 * Hubby returned (sanitized), never markup sent by a browser.
 */
export async function saveSnapshotAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ id: string; href: string }>> {
  return runAction(
    {
      ...previewAction,
      action: "instructions.snapshot",
      subject: (inputs) => ({ externalUserId: inputs.externalUserId }),
      run: async (inputs, { staff }) => saveSnapshot(staff, await fetchPreview(await hubbyFor(staff), inputs)),
      audit: (saved, inputs) => ({
        targetType: "instruction_snapshot",
        targetId: saved.id,
        details: { device: inputs.device, os: `${inputs.phoneOs} ${inputs.osVersion}`, locale: inputs.locale },
      }),
      revalidate: (inputs) => [`/travelers/${encodeURIComponent(inputs.externalUserId)}`],
      // Hubby's refusal said for this screen (which input was wrong), audited as an error.
      explain: (error, inputs) => {
        if (!(error instanceof ActionError || error instanceof HubbyApiError)) return null;
        const failure = explainFailure(error, inputs);
        return new ActionError(failure.message, { fieldErrors: failure.fieldErrors });
      },
    },
    form,
  );
}
