"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { hubbyConnection } from "@/lib/env";
import { ActionError } from "@/lib/errors";
import { hubbyFor } from "@/lib/hubby";
import { supportSummary } from "@/lib/travelers/traveler";

const travelerSchema = z.object({ externalUserId: z.string().trim().min(1).max(200) });
/** Looking at one traveler through Hubby: their entries (refusals too) are filed under them. */
const lookAtTraveler = {
  permission: "travelers.search",
  subject: (input: { externalUserId: string }) => ({ externalUserId: input.externalUserId }),
} as const;

const redeemSchema = travelerSchema.extend({ packageQueueId: z.string().trim().min(1).max(200) });

/** Redeems a queued package onto the traveler's eSIM (POST /native/redeem-package). */
export async function redeemPackageAction(_prev: unknown, form: FormData): Promise<ActionResult<{ message: string }>> {
  return runAction(
    {
      action: "travelers.redeem",
      permission: "travelers.redeem",
      schema: redeemSchema,
      subject: (input) => ({
        targetType: "package_queue",
        targetId: input.packageQueueId,
        externalUserId: input.externalUserId,
      }),
      run: async (input, { staff }) => {
        const hubby = await hubbyFor(staff);
        const result = await hubby.redeemPackage({
          external_user_id: input.externalUserId,
          package_queue_id: input.packageQueueId,
        });
        return { message: result.message ?? "Package redeemed." };
      },
      audit: () => ({}),
      revalidate: (input) => [`/travelers/${encodeURIComponent(input.externalUserId)}`],
    },
    form,
  );
}

/** A fresh single-use WebView link (valid 5 minutes) to see what the traveler sees. */
export async function openWebViewAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ url: string; expiresAt: string }>> {
  return runAction(
    {
      ...lookAtTraveler,
      action: "travelers.open_webview",
      schema: travelerSchema,
      run: async (input, { staff }) => {
        const hubby = await hubbyFor(staff);
        const token = await hubby.createRedirectToken({ external_user_id: input.externalUserId });
        const url = new URL(hubbyConnection().webviewUrl);
        url.searchParams.set("t", token.redirect_token);
        return { url: url.toString(), expiresAt: new Date(Date.now() + token.expires_in * 1000).toISOString() };
      },
      audit: () => ({}),
    },
    form,
  );
}

const deviceSchema = travelerSchema.extend({
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
      ...lookAtTraveler,
      action: "travelers.check_device",
      schema: deviceSchema,
      run: async (input, { staff }) => {
        const hubby = await hubbyFor(staff);
        const result = await hubby.checkDeviceCompatibility({
          phone_brand: input.phoneBrand,
          phone_model: input.phoneModel,
        });
        return { brand: result.phone_brand, model: result.phone_model, compatible: result.is_compatible };
      },
      audit: (result, input) => ({
        details: { brand: input.phoneBrand, model: input.phoneModel, compatible: result.compatible },
      }),
    },
    form,
  );
}

const summarySchema = travelerSchema.extend({
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
      ...lookAtTraveler,
      action: "travelers.copy_summary",
      schema: summarySchema,
      run: async (input, { staff }) => {
        const hubby = await hubbyFor(staff);
        const text = await supportSummary(hubby, input.externalUserId, { generatedBy: staff.email, link: input.link });
        if (text === null) {
          throw new ActionError(`Neither the console nor Hubby knows a traveler “${input.externalUserId}”.`);
        }
        return { text };
      },
      audit: () => ({}),
    },
    form,
  );
}
