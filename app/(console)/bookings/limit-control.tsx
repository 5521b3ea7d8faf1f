"use client";
import { useActionState, useEffect } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
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
  const [state, action, pending] = useActionState<ActionResult<{ size: string; window: string }> | null, FormData>(
    setTopUpLimitAction,
    null,
  );
  useEffect(() => {
    if (state?.ok)
      toast.success(`Support top-up limit set to ${state.data.size} per traveler in ${state.data.window}.`);
  }, [state]);
  return (
    <form action={action} className="flex w-fit flex-wrap items-end gap-2 rounded-lg border p-3">
      <FilterField id="limit-size" label="Support top-up limit (per traveler)">
        <Select id="limit-size" name="size" defaultValue={size} className="w-32">
          {sizes.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </Select>
      </FilterField>
      <FilterField id="limit-window" label="In any">
        <Select id="limit-window" name="windowHours" defaultValue={String(windowHours)} className="w-32">
          {windows.map((option) => (
            <option key={option.hours} value={option.hours}>
              {option.label}
            </option>
          ))}
        </Select>
      </FilterField>
      <Button type="submit" size="sm" variant="outline" disabled={pending}>
        Save limit
      </Button>
      {state?.ok === false && (
        <span role="alert" className="text-sm text-destructive">
          {state.message}
        </span>
      )}
    </form>
  );
}
