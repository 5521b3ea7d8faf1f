"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, formToObject, runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { hubbyConnection } from "@/lib/env";
import { HubbyApiError, hubbyFor } from "@/lib/hubby";
import { supportSummary } from "@/lib/travelers/traveler";

const redeemSchema = z.object({
  externalUserId: z.string().trim().min(1).max(200),
  packageQueueId: z.string().trim().min(1).max(200),
});

/** Redeems a queued package onto the traveler's eSIM (POST /native/redeem-package). */
export async function redeemPackageAction(_prev: unknown, form: FormData): Promise<ActionResult<{ message: string }>> {
  return runAction(
    {
      action: "travelers.redeem",
      roles: rolesFor("travelers.redeem"),
      schema: redeemSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const hubby = await hubbyFor(staff);
      try {
        const result = await hubby.redeemPackage({
          external_user_id: input.externalUserId,
          package_queue_id: input.packageQueueId,
        });
        await audit({
          actor: staff,
          action: "travelers.redeem",
          targetType: "package_queue",
          targetId: input.packageQueueId,
          externalUserId: input.externalUserId,
          result: "ok",
          requestId,
        });
        revalidatePath(`/travelers/${encodeURIComponent(input.externalUserId)}`);
        return { message: result.message ?? "Package redeemed." };
      } catch (error) {
        if (!(error instanceof HubbyApiError)) throw error;
        await audit({
          actor: staff,
          action: "travelers.redeem",
          targetType: "package_queue",
          targetId: input.packageQueueId,
          externalUserId: input.externalUserId,
          result: "error",
          details: { status: error.status ?? null, message: error.message },
          requestId,
        });
        throw new ActionError(error.message, undefined, { audited: true });
      }
    },
  );
}

const travelerSchema = z.object({ externalUserId: z.string().trim().min(1).max(200) });

/** A fresh single-use WebView link (valid 5 minutes) to see what the traveler sees. */
export async function openWebViewAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ url: string; expiresAt: string }>> {
  return runAction(
    {
      action: "travelers.open_webview",
      roles: rolesFor("travelers.search"),
      schema: travelerSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const hubby = await hubbyFor(staff);
      const token = await hubby.createRedirectToken({ external_user_id: input.externalUserId });
      const url = new URL(hubbyConnection().webviewUrl);
      url.searchParams.set("t", token.redirect_token);
      await audit({
        actor: staff,
        action: "travelers.open_webview",
        externalUserId: input.externalUserId,
        result: "ok",
        requestId,
      });
      return { url: url.toString(), expiresAt: new Date(Date.now() + token.expires_in * 1000).toISOString() };
    },
  );
}

const deviceSchema = z.object({
  externalUserId: z.string().trim().min(1).max(200),
  phoneBrand: z.string().trim().min(1, "Enter the brand.").max(100),
  phoneModel: z.string().trim().min(1, "Enter the model.").max(100),
});

/** Asks Hubby whether the traveler's phone supports eSIM. */
export async function checkDeviceAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ brand: string; model: string; compatible: boolean }>> {
  return runAction(
    {
      action: "travelers.check_device",
      roles: rolesFor("travelers.search"),
      schema: deviceSchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const hubby = await hubbyFor(staff);
      const result = await hubby.checkDeviceCompatibility({
        phone_brand: input.phoneBrand,
        phone_model: input.phoneModel,
      });
      await audit({
        actor: staff,
        action: "travelers.check_device",
        externalUserId: input.externalUserId,
        result: "ok",
        details: { brand: input.phoneBrand, model: input.phoneModel, compatible: result.is_compatible },
        requestId,
      });
      return { brand: result.phone_brand, model: result.phone_model, compatible: result.is_compatible };
    },
  );
}

const summarySchema = z.object({
  externalUserId: z.string().trim().min(1).max(200),
  /** The page's own deep link, put at the top of the summary; only an http(s) URL. */
  link: z
    .union([z.url({ protocol: /^https?$/ }).max(2_000), z.literal("")])
    .optional()
    .transform((value) => value || null),
});

/** The plain-text summary for an escalation ticket; the browser puts it on the clipboard. */
export async function copySupportSummaryAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ text: string }>> {
  return runAction(
    {
      action: "travelers.copy_summary",
      roles: rolesFor("travelers.search"),
      schema: summarySchema,
      input: formToObject(form),
    },
    async (input, { staff, requestId }) => {
      const hubby = await hubbyFor(staff);
      const text = await supportSummary(hubby, input.externalUserId, { generatedBy: staff.email, link: input.link });
      if (text === null) {
        throw new ActionError(`Neither the console nor Hubby knows a traveler “${input.externalUserId}”.`);
      }
      await audit({
        actor: staff,
        action: "travelers.copy_summary",
        externalUserId: input.externalUserId,
        result: "ok",
        requestId,
      });
      return { text };
    },
  );
}
