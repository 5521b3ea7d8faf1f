"use client";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { FilterField } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import { setRetentionAction } from "./privacy-actions";

/** Admin only: pseudonymise travelers N days after their last package expired (off by default). */
export function RetentionControl({ days, choices }: { days: number | null; choices: readonly number[] }) {
  const { run, pending, failure } = useServerAction(setRetentionAction, {
    onSuccess: ({ days: after }) =>
      toast.success(
        after === null
          ? "Trip-tied retention is off."
          : `Travelers are pseudonymised ${after} days after their last package expired.`,
      ),
  });
  return (
    <form action={run} className="flex w-fit flex-wrap items-end gap-2 rounded-lg border p-3">
      <FilterField id="retention-days" label="Pseudonymise travelers after their last package expired">
        <Select
          id="retention-days"
          name="days"
          defaultValue={days === null ? "off" : String(days)}
          className="w-40"
          options={[
            { value: "off", label: "Never (off)" },
            ...choices.map((choice) => ({ value: choice, label: `${choice} days` })),
          ]}
        />
      </FilterField>
      <SubmitButton size="sm" variant="outline" pending={pending}>
        Save retention
      </SubmitButton>
      <ActionMessage failure={failure} />
    </form>
  );
}
