import "server-only";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { ActionError } from "@/lib/errors";
import { uploadCampaign } from "@/lib/campaigns/dry-run";
import { queueCampaignCheck } from "@/lib/campaigns/jobs";
import { CAMPAIGN_FIELDS, type ColumnMapping } from "@/lib/campaigns/rows";

export type DryRunData =
  | { outcome: "checking"; campaignId: string }
  | { outcome: "mapping"; headers: string[]; guessed: ColumnMapping; issue: string };

import { MAX_UPLOAD_BYTES, UPLOAD_TOO_LARGE_MESSAGE } from "./limits";

// Uploads reach POST /api/campaigns/upload (app/api/campaigns/upload/route.ts), which reads at most this much
// (plus the form's own fields) after checking the caller, so server actions stay capped at what forms need.
const MAX_BYTES = MAX_UPLOAD_BYTES;

const dryRunSchema = z.object({
  name: z.string().trim().min(1, "Name the campaign.").max(120, "At most 120 characters."),
  file: z.instanceof(File).optional(),
  text: z.string().max(MAX_BYTES, "Paste at most 24 MB; upload a file instead.").default(""),
  mapping: z
    .record(z.enum(CAMPAIGN_FIELDS), z.string().max(200))
    .optional()
    .transform((mapping) =>
      mapping ? Object.fromEntries(Object.entries(mapping).filter(([, header]) => header)) : undefined,
    ),
});

function inputOf(form: FormData) {
  const file = form.get("file");
  const hasMapping = form.get("mapped") === "1";
  return {
    name: form.get("name") ?? "",
    file: file instanceof File && file.size > 0 ? file : undefined,
    text: form.get("text") ?? "",
    mapping: hasMapping
      ? Object.fromEntries(CAMPAIGN_FIELDS.map((field) => [field, String(form.get(`map.${field}`) ?? "")]))
      : undefined,
  };
}

/**
 * Upload (called by the upload route, not as a server action): checks the header (files whose headers are not ours come back with them for the mapping step) and the
 * first rows, stores the campaign with its file, and starts the dry run of every row in the background; the page
 * the browser goes to next shows its progress. Sends nothing.
 */
export async function dryRunAction(_prev: unknown, form: FormData): Promise<ActionResult<DryRunData>> {
  return runAction(
    {
      action: "campaigns.dry_run",
      permission: "campaigns.run",
      schema: dryRunSchema,
      run: async (input, { staff, requestId }) => {
        if (!input.file && !input.text.trim()) {
          const message = "Choose a CSV file or paste rows.";
          throw new ActionError(message, { fieldErrors: { file: [message] } });
        }
        if (input.file && input.file.size > MAX_BYTES) throw new ActionError(UPLOAD_TOO_LARGE_MESSAGE);
        const fileName = input.file?.name.slice(0, 200) ?? "pasted rows";
        const content = input.file ? Buffer.from(await input.file.arrayBuffer()) : Buffer.from(input.text);
        const result = await uploadCampaign({
          name: input.name,
          fileName,
          content,
          mapping: input.mapping,
          actor: staff,
        });
        if (result.outcome === "invalid") throw new ActionError(result.message);
        if (result.outcome === "checking") {
          // A job of the job system; it audits campaigns.dry_run when it ends.
          await queueCampaignCheck(result.campaignId, requestId);
        }
        return { result, fileName, bytes: content.length };
      },
      // Stored only once the columns are known; the mapping step stores nothing yet.
      audit: ({ result, fileName, bytes }) =>
        result.outcome === "checking"
          ? {
              action: "campaigns.upload",
              targetType: "campaign",
              targetId: result.campaignId,
              details: { fileName, bytes, checksum: result.checksum },
            }
          : null,
      reply: ({ result }): DryRunData =>
        result.outcome === "mapping" ? result : { outcome: "checking", campaignId: result.campaignId },
    },
    inputOf(form),
  );
}
