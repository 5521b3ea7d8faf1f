import "server-only";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { audit, type AuditInput } from "./audit/audit";
import { countRefusal } from "./audit/refusals";
import { may, targetRefusal, type Permission, type TargetOf } from "./auth/roles";
import { requireStaff, type CurrentStaff } from "./auth/staff";
import { clientAddress } from "./client-ip";
import { ActionError, FORBIDDEN_MESSAGE, ValidationError, fieldErrorsOf, type FieldErrors } from "./errors";
import { formToObject } from "./forms";
import { HubbyApiError } from "./hubby/errors";
import { getRequestId } from "./request-id";

export type { FieldErrors };
export { FORBIDDEN_MESSAGE };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; message: string; fieldErrors?: FieldErrors };

/** Who and what an audit entry is about; written on the success entry and on refusals and errors alike. */
export type AuditSubject = Pick<AuditInput, "targetType" | "targetId" | "externalUserId">;
/** The success entry an action declares: its subject, details and outcome (`error` when Hubby refused the send). */
export type AuditEntry = AuditSubject & Pick<AuditInput, "details"> & { action?: string; result?: "ok" | "error" };

export type ActionContext<Target> = { staff: CurrentStaff; requestId: string; target: Target };

/**
 * A server action, declared: who may call it (a permission from the role matrix, and for target rules the target
 * `load` reads), the schema of its input, the domain call, the audit entry its success writes and the paths it
 * revalidates. runAction owns the order and the refusals; an action file only says what differs.
 */
export type ActionSpec<Schema extends z.ZodType, P extends Permission, Target, Result, Data> = {
  /** The audit action, also used for refusals and errors (e.g. `staff.create`). */
  action: string;
  permission: P;
  schema: Schema;
  /** Reads the target `may()` decides on (plain data); throws ActionError when it does not exist. */
  load?: (input: z.output<Schema>) => Promise<Target & TargetOf<P>>;
  run: (input: z.output<Schema>, context: ActionContext<Target>) => Promise<Result>;
  /** Known from the input alone, so refusals and errors are filed under the same traveler or record. */
  subject?: (input: z.output<Schema>, target: Target | undefined) => AuditSubject;
  /**
   * The success entry, or null when this outcome changes nothing worth one (a dry run, a form already sent).
   * "none" for actions that send and change nothing (previews).
   */
  audit: ((result: Result, input: z.output<Schema>, target: Target) => AuditEntry | null) | "none";
  revalidate?: readonly string[] | ((input: z.output<Schema>, result: Result) => readonly string[]);
  /** What the browser gets, when it is less than what the audit entry needs. */
  reply?: (result: Result, input: z.output<Schema>) => Data;
  /** Turns a domain failure into a message for this screen (audited as an error); null leaves it as it was. */
  explain?: (error: unknown, input: z.output<Schema>) => ActionError | null;
};

/**
 * Runs a declared action: signed in (else /login, counted) → permission (refusals audited) → schema (form mistakes
 * shown, not audited) → target rule → domain call → success audit → revalidation. Refusals (ActionError) and
 * Hubby's errors come back with a message written to be shown and are audited; unexpected errors are logged with
 * the request id and shown only as a reference.
 */
export async function runAction<Schema extends z.ZodType, P extends Permission, Target, Result, Data = Result>(
  spec: ActionSpec<Schema, P, Target, Result, Data>,
  raw?: FormData | Record<string, unknown>,
): Promise<ActionResult<Data>> {
  const requestId = await getRequestId();
  const staff = await signedIn(spec.action);
  if (!may(staff, spec.permission)) {
    await audit({
      actor: staff,
      action: spec.action,
      result: "refused",
      details: { reason: "forbidden", role: staff.role },
      requestId,
    });
    return { ok: false, message: FORBIDDEN_MESSAGE };
  }

  const parsed = spec.schema.safeParse(raw instanceof FormData ? formToObject(raw) : (raw ?? {}));
  if (!parsed.success) return invalid(new ValidationError(fieldErrorsOf(parsed.error)));
  const input = parsed.data;

  let target: Target | undefined;
  try {
    if (spec.load) {
      target = await spec.load(input);
      if (!may(staff, spec.permission, target as TargetOf<P>))
        throw new ActionError(targetRefusal(spec.permission) ?? FORBIDDEN_MESSAGE);
    }
    const result = await spec.run(input, { staff, requestId, target: target as Target });
    const entry = spec.audit === "none" ? null : spec.audit(result, input, target as Target);
    if (entry) {
      const { action, result: outcome, ...fields } = entry;
      await audit({
        actor: staff,
        action: action ?? spec.action,
        ...spec.subject?.(input, target),
        ...fields,
        result: outcome ?? "ok",
        requestId,
      });
    }
    const paths = typeof spec.revalidate === "function" ? spec.revalidate(input, result) : (spec.revalidate ?? []);
    for (const path of paths) revalidatePath(path);
    return { ok: true, data: spec.reply ? spec.reply(result, input) : (result as unknown as Data) };
  } catch (thrown) {
    const error = spec.explain?.(thrown, input) ?? thrown;
    if (error instanceof ValidationError) return invalid(error);
    const subject = spec.subject?.(input, target);
    if (error instanceof ActionError || error instanceof HubbyApiError) {
      if (!(error instanceof ActionError && error.audited)) {
        // A refusal is the console saying no; Hubby's (and a Hubby failure explained for the screen) is an error.
        const fromHubby = error !== thrown || error instanceof HubbyApiError;
        await audit({
          actor: staff,
          action: spec.action,
          ...subject,
          result: fromHubby ? "error" : "refused",
          details: {
            reason: error.message,
            ...(thrown instanceof HubbyApiError ? { status: thrown.status ?? null } : {}),
          },
          requestId,
        });
      }
      return {
        ok: false,
        message: error.message,
        fieldErrors: error instanceof ActionError ? error.fieldErrors : undefined,
      };
    }
    console.error(`[action ${spec.action}] request ${requestId} failed:`, thrown);
    await audit({ actor: staff, action: spec.action, ...subject, result: "error", details: { requestId }, requestId });
    return { ok: false, message: `Something went wrong. Reference: ${requestId}` };
  }
}

function invalid(error: ValidationError): ActionResult<never> {
  return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
}

/** The caller, or the redirect to /login; a call without a valid session is counted, not audited one by one. */
async function signedIn(action: string): Promise<CurrentStaff> {
  try {
    return await requireStaff();
  } catch (error) {
    // Signed out, disabled or a forged request without a session: counted per minute and source (not an audit
    // entry each, which a flood of forged calls would turn into unbounded writes), then redirected.
    if (isSignInRedirect(error)) await countRefusal("action", `signed_out ${action}`, await callerAddress());
    throw error;
  }
}

/** The caller's address as the server saw it (lib/client-ip.ts). */
export async function callerAddress(): Promise<string | null> {
  try {
    return clientAddress(await headers());
  } catch {
    return null;
  }
}

/** The redirect requireStaff throws for a caller without a valid session. */
function isSignInRedirect(error: unknown): boolean {
  const digest = typeof error === "object" && error !== null ? (error as { digest?: unknown }).digest : undefined;
  return typeof digest === "string" && digest.startsWith("NEXT_REDIRECT") && digest.includes("/login");
}
