"use client";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { FilterField } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import { setTopUpLimitAction } from "./actions";

/** Admin only: how much a support agent may top up per traveler over a rolling window. */
export function LimitControl({
  size,
  sizes,
  windowHours,
  windows,
}: {
  size: string;
  sizes: readonly string[];
  windowHours: number;
  windows: readonly { hours: number; label: string }[];
}) {
  const { run, pending, failure } = useServerAction(setTopUpLimitAction, {
    onSuccess: (limit) => toast.success(`Support top-up limit set to ${limit.size} per traveler in ${limit.window}.`),
  });
  return (
    <form action={run} className="flex w-fit flex-wrap items-end gap-2 rounded-lg border p-3">
      <FilterField id="limit-size" label="Support top-up limit (per traveler)">
        <Select id="limit-size" name="size" defaultValue={size} className="w-32" options={sizes} />
      </FilterField>
      <FilterField id="limit-window" label="In any">
        <Select
          id="limit-window"
          name="windowHours"
          defaultValue={String(windowHours)}
          className="w-32"
          options={windows.map((option) => ({ value: option.hours, label: option.label }))}
        />
      </FilterField>
      <SubmitButton size="sm" variant="outline" pending={pending}>
        Save limit
      </SubmitButton>
      <ActionMessage failure={failure} />
    </form>
  );
}
