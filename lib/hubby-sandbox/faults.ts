import { z } from "zod";

/**
 * Fault injection for tests and demos: latency, error statuses, timeouts, malformed replies, "the booking
 * was committed but the reply was lost", and hostile instructions (`hostile_html`: XSS payloads mixed into the
 * instructions reply, lib/hubby-sandbox/hostile.ts). Rules match a method and a path prefix below /api.
 */
export const faultRuleSchema = z.object({
  kind: z.enum(["latency", "status", "timeout", "malformed", "drop_after_commit", "hostile_html"]),
  method: z.enum(["GET", "POST"]).optional(),
  path: z.string().startsWith("/").optional(),
  ms: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(400).max(599).optional(),
  probability: z.number().min(0).max(1).default(1),
  /** How many requests it applies to; unset means until cleared. */
  times: z.number().int().min(1).optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema> & { id: number };

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(input: z.input<typeof faultRuleSchema>): FaultRule {
    const rule = { ...faultRuleSchema.parse(input), id: this.nextId++ };
    this.rules.push(rule);
    return rule;
  }

  clear() {
    this.rules = [];
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  /** The rules that fire for this request (each `times` counts down as it fires). */
  take(method: string, path: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of this.rules) {
      if (rule.method && rule.method !== method) continue;
      if (rule.path && !path.startsWith(rule.path)) continue;
      if (this.random() >= rule.probability) continue;
      fired.push(rule);
      if (rule.times !== undefined) rule.times -= 1;
    }
    this.rules = this.rules.filter((rule) => rule.times === undefined || rule.times > 0);
    return fired;
  }
}
