import { audit } from "@/lib/audit/audit";
import { may } from "@/lib/auth/roles";
import { getCurrentStaff } from "@/lib/auth/staff";
import { callerAddress, FORBIDDEN_MESSAGE } from "@/lib/actions";
import { countRefusal } from "@/lib/audit/refusals";
import { getRequestId } from "@/lib/request-id";
import { MAX_UPLOAD_BYTES, UPLOAD_TOO_LARGE_MESSAGE } from "@/app/(console)/campaigns/new/limits";
import { dryRunAction } from "@/app/(console)/campaigns/new/upload";

/** The form's own fields (name, column mapping, multipart boundaries) next to the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
const TOO_LARGE = UPLOAD_TOO_LARGE_MESSAGE;

/**
 * POST /api/campaigns/upload: a campaign's CSV file (or pasted rows) as multipart form data. Outside proxy.ts's
 * matcher, because the proxy buffers a request body (10 MB by default) before anything checks it. Here the caller
 * is checked first, the declared size next, and the body is read through a counter that stops at the cap, so an
 * unauthenticated or oversized upload is refused before it is buffered. The rest is the upload's runAction recipe
 * (app/(console)/campaigns/new/upload.ts): role, parsing, audit.
 */
export async function POST(request: Request) {
  const staff = await getCurrentStaff();
  if (!staff) {
    await countRefusal("action", "signed_out campaigns.dry_run", await callerAddress());
    return answer(401, "Your session has ended: sign in again, then upload the file again.");
  }
  if (!may(staff, "campaigns.run")) {
    await audit({
      actor: staff,
      action: "campaigns.dry_run",
      result: "refused",
      details: { reason: "forbidden", role: staff.role },
      requestId: await getRequestId(),
    });
    return answer(403, FORBIDDEN_MESSAGE);
  }
  const limit = MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES;
  if (Number(request.headers.get("content-length") ?? 0) > limit) return answer(413, TOO_LARGE);
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("multipart/form-data") || !request.body) {
    return answer(415, "Send the campaign as a form upload (multipart/form-data).");
  }

  const counter = byteLimit(limit);
  let form: FormData;
  try {
    const capped = request.body.pipeThrough(counter.stream);
    form = await new Response(capped, { headers: { "content-type": request.headers.get("content-type")! } }).formData();
  } catch {
    if (counter.exceeded()) return answer(413, TOO_LARGE);
    return answer(400, "The upload could not be read (it was interrupted or is not a valid form). Try again.");
  }
  return Response.json(await dryRunAction(null, form), { headers: { "cache-control": "no-store" } });
}

/** Passes bytes through until `limit`, then fails the stream: nothing past the cap is buffered. */
function byteLimit(limit: number) {
  let seen = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) controller.error(new Error("upload larger than the limit"));
      else controller.enqueue(chunk);
    },
  });
  return { stream, exceeded: () => seen > limit };
}

function answer(status: number, message: string) {
  return Response.json({ ok: false, message }, { status, headers: { "cache-control": "no-store" } });
}
