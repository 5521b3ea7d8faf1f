import "server-only";
import { z } from "zod";
import { ActionError, type FieldErrors } from "./action-error";
import { headers } from "next/headers";
import { audit } from "./audit/audit";
import { countRefusal } from "./audit/refusals";
import { getCurrentStaff, isForbiddenError, requireStaff, type CurrentStaff } from "./auth/staff";
import type { StaffRole } from "./auth/roles";
import { HubbyApiError } from "./hubby/errors";
import { getRequestId } from "./request-id";

export { ActionError, type FieldErrors };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; message: string; fieldErrors?: FieldErrors };

export const FORBIDDEN_MESSAGE = "Your role does not allow this action.";

type ActionContext = { staff: CurrentStaff; requestId: string };

/**
 * The shape every server action follows: requireStaff → zod parse → domain call (which audits its success).
 * Refusals and unexpected errors are audited here; unexpected errors are logged with the request id, not shown.
 */
export async function runAction<Schema extends z.ZodType, T>(
  options: { action: string; roles: readonly StaffRole[]; schema: Schema; input: unknown },
  handler: (input: z.output<Schema>, context: ActionContext) => Promise<T>,
): Promise<ActionResult<T>> {
  const requestId = await getRequestId();
  let staff: CurrentStaff;
  try {
    staff = await requireStaff(...options.roles);
  } catch (error) {
    if (isSignInRedirect(error)) {
      // Signed out, disabled or a forged request without a session: counted per minute and source (not an audit
      // entry each, which a flood of forged calls would turn into unbounded writes), then redirected.
      await countRefusal("action", `signed_out ${options.action}`, await callerAddress());
    }
    if (!isForbiddenError(error)) throw error;
    const actor = await getCurrentStaff();
    await audit({
      actor,
      action: options.action,
      result: "refused",
      details: { reason: "forbidden", role: actor?.role ?? null },
      requestId,
    });
    return { ok: false, message: FORBIDDEN_MESSAGE };
  }

  const parsed = options.schema.safeParse(options.input);
  if (!parsed.success) {
    return {
      ok: false,
      message: "Please correct the highlighted fields.",
      fieldErrors: z.flattenError(parsed.error).fieldErrors as FieldErrors,
    };
  }

  try {
    return { ok: true, data: await handler(parsed.data, { staff, requestId }) };
  } catch (error) {
    // Hubby's refusals (validation, not found, unreachable) carry a message written to be shown to staff.
    if (error instanceof ActionError || error instanceof HubbyApiError) {
      if (!(error instanceof ActionError && error.options.audited)) {
        await audit({
          actor: staff,
          action: options.action,
          result: "refused",
          details: { reason: error.message },
          requestId,
        });
      }
      return {
        ok: false,
        message: error.message,
        fieldErrors: error instanceof ActionError ? error.fieldErrors : undefined,
      };
    }
    console.error(`[action ${options.action}] request ${requestId} failed:`, error);
    await audit({ actor: staff, action: options.action, result: "error", details: { requestId }, requestId });
    return { ok: false, message: `Something went wrong. Reference: ${requestId}` };
  }
}

/** The caller's address as the server saw it (X-Forwarded-For survives only behind a trusted proxy). */
export async function callerAddress(): Promise<string | null> {
  try {
    const list = await headers();
    return list.get("x-forwarded-for")?.split(",")[0]?.trim() || list.get("x-real-ip") || null;
  } catch {
    return null;
  }
}

/** The redirect requireStaff throws for a caller without a valid session. */
function isSignInRedirect(error: unknown): boolean {
  const digest = typeof error === "object" && error !== null ? (error as { digest?: unknown }).digest : undefined;
  return typeof digest === "string" && digest.startsWith("NEXT_REDIRECT") && digest.includes("/login");
}

/** FormData → plain object for zod (repeated keys become arrays). */
export function formToObject(form: FormData): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const current = result[key];
    if (current === undefined) result[key] = value;
    else result[key] = Array.isArray(current) ? [...current, value] : [current, value];
  }
  return result;
}
