// No imports: domain modules throw these without pulling in Next's request APIs or the action runner.

/** Messages per form field ("specs.0.size" for nested ones); "form" holds what belongs to no one field. */
export type FieldErrors = Record<string, string[]>;

export const FORBIDDEN_MESSAGE = "Your role does not allow this action.";
export const CORRECT_FIELDS_MESSAGE = "Please correct the highlighted fields.";

/**
 * A form mistake: shown next to its fields and not audited, like a schema failure (the caller only typed
 * something wrong).
 */
export class ValidationError extends Error {
  constructor(
    public readonly fieldErrors: FieldErrors,
    message: string = CORRECT_FIELDS_MESSAGE,
  ) {
    super(message);
    this.name = "ValidationError";
  }
}

/**
 * An expected refusal whose message is safe to show staff (e.g. "cannot disable the last admin"); the action runner
 * audits it as refused. `audited` says the domain already wrote a richer entry for this failure (the instructions
 * preview audits every attempt, from the screen and from the comparison matrix alike), so the runner adds none.
 */
export class ActionError extends Error {
  public readonly fieldErrors?: FieldErrors;
  public readonly audited: boolean;

  constructor(message: string, options: { fieldErrors?: FieldErrors; audited?: boolean } = {}) {
    super(message);
    this.name = "ActionError";
    this.fieldErrors = options.fieldErrors;
    this.audited = options.audited ?? false;
  }
}

/** A zod error's issues by field path ("specs.0.size"), "form" for issues about the whole input. */
export function fieldErrorsOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  const errors: FieldErrors = {};
  for (const issue of error.issues) (errors[issue.path.map(String).join(".") || "form"] ??= []).push(issue.message);
  return errors;
}
