"use client";
import { useActionState, useEffect } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { refreshCatalogAction } from "./actions";

/** Re-reads Hubby's destinations and bundles (audited). */
export function RefreshCatalogButton() {
  const [state, action, pending] = useActionState<
    ActionResult<{ destinations: number; bundles: number }> | null,
    FormData
  >(refreshCatalogAction, null);
  useEffect(() => {
    if (state?.ok)
      toast.success(`Catalog refreshed: ${state.data.destinations} destinations, ${state.data.bundles} bundles.`);
  }, [state]);
  return (
    <form action={action} className="flex items-center gap-2">
      <Button type="submit" variant="outline" size="sm" disabled={pending}>
        {pending ? "Refreshing…" : "Refresh from Hubby"}
      </Button>
      {state?.ok === false && (
        <span role="alert" className="text-sm text-destructive">
          {state.message}
        </span>
      )}
    </form>
  );
}
