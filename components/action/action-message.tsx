import { FormMessage } from "@/components/ui/field";
import type { ActionFailure } from "./use-server-action";

/**
 * The refusal of an action, as an alert: the first error of `fields` when a control has no error line of its own,
 * else the action's message. Renders nothing while there is no refusal.
 */
export function ActionMessage({
  failure,
  fields = [],
  className,
}: {
  failure: ActionFailure | null | undefined;
  fields?: readonly string[];
  className?: string;
}) {
  if (!failure) return null;
  const fieldError = fields.map((field) => failure.fieldErrors?.[field]?.[0]).find(Boolean);
  return <FormMessage message={fieldError ?? failure.message} className={className} />;
}
