/**
 * The one error the Hubby client throws. `message` is safe to show staff: it never contains the secret, the
 * signature or a stack, only what Hubby said (or what went wrong on the way) and which call it was.
 */
export type HubbyErrorKind = "http" | "timeout" | "network" | "invalid_response";

export type HubbyErrorDetails = Record<string, unknown> | undefined;

export class HubbyApiError extends Error {
  readonly kind: HubbyErrorKind;
  /** HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined;
  /** Hubby's `error.code` when it sent one. */
  readonly code: string | number | undefined;
  /** Hubby's `error.details`, e.g. `{ field: "departure_date", issue: "must be a future date" }`. */
  readonly details: HubbyErrorDetails;
  /** `METHOD /path` of the call. */
  readonly endpoint: string;
  readonly requestId: string;

  constructor(init: {
    kind: HubbyErrorKind;
    message: string;
    endpoint: string;
    requestId: string;
    status?: number;
    code?: string | number;
    details?: HubbyErrorDetails;
  }) {
    super(init.message);
    this.name = "HubbyApiError";
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.endpoint = init.endpoint;
    this.requestId = init.requestId;
  }

  /** A field-level validation problem, to show next to the form field it concerns. */
  get fieldError(): { field: string; issue: string } | undefined {
    const field = this.details?.field;
    const issue = this.details?.issue;
    return typeof field === "string" && typeof issue === "string" ? { field, issue } : undefined;
  }

  /** Whether a retry could help: network trouble, timeouts and 5xx; never validation or auth errors. */
  get transient(): boolean {
    return this.kind === "network" || this.kind === "timeout" || (this.status !== undefined && this.status >= 500);
  }
}
