// No imports: domain modules (lib/campaigns, lib/bookings) can throw it without pulling in Next's request APIs.

export type FieldErrors = Record<string, string[]>;

/**
 * An expected refusal whose message is safe to show staff (e.g. "cannot disable the last admin"). `audited` says
 * the handler already wrote a richer audit entry (with the traveler and Hubby's status), so runAction adds none.
 */
export class ActionError extends Error {
  constructor(
    message: string,
    public readonly fieldErrors?: FieldErrors,
    public readonly options: { audited?: boolean } = {},
  ) {
    super(message);
    this.name = "ActionError";
  }
}
