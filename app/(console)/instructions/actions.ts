"use server";
import { revalidatePath } from "next/cache";
import { ActionError, formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { hubbyFor } from "@/lib/hubby";
import { auditPreview, explainFailure, fetchPreview, publicPreview, type Preview } from "@/lib/instructions/preview";
import { saveSnapshot } from "@/lib/instructions/snapshots";
import { previewInputSchema } from "@/lib/instructions/schemas";

/** Hubby's installation instructions for one traveler, device and locale, sanitized for the preview frame. */
export async function previewInstructionsAction(_prev: unknown, form: FormData): Promise<ActionResult<Preview>> {
  return runAction(
    {
      action: "instructions.preview",
      roles: rolesFor("instructions.preview"),
      schema: previewInputSchema,
      input: formToObject(form),
    },
    async (inputs, { staff, requestId }) => {
      const hubby = await hubbyFor(staff);
      try {
        const preview = publicPreview(await fetchPreview(hubby, inputs));
        await auditPreview(staff, inputs, { ok: true, preview }, requestId);
        return preview;
      } catch (error) {
        const failure = explainFailure(error, inputs);
        await auditPreview(staff, inputs, { ok: false, failure }, requestId);
        throw new ActionError(failure.message, failure.fieldErrors, { audited: true });
      }
    },
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
      action: "instructions.snapshot",
      roles: rolesFor("instructions.preview"),
      schema: previewInputSchema,
      input: formToObject(form),
    },
    async (inputs, { staff, requestId }) => {
      const hubby = await hubbyFor(staff);
      let saved: { id: string; href: string };
      try {
        saved = await saveSnapshot(staff, await fetchPreview(hubby, inputs));
      } catch (error) {
        const failure = explainFailure(error, inputs);
        await audit({
          actor: staff,
          action: "instructions.snapshot",
          externalUserId: inputs.externalUserId,
          result: "error",
          details: { error: `${failure.title}: ${failure.message}` },
          requestId,
        });
        throw new ActionError(failure.message, failure.fieldErrors, { audited: true });
      }
      await audit({
        actor: staff,
        action: "instructions.snapshot",
        targetType: "instruction_snapshot",
        targetId: saved.id,
        externalUserId: inputs.externalUserId,
        result: "ok",
        details: { device: inputs.device, os: `${inputs.phoneOs} ${inputs.osVersion}`, locale: inputs.locale },
        requestId,
      });
      revalidatePath(`/travelers/${encodeURIComponent(inputs.externalUserId)}`);
      return saved;
    },
  );
}
