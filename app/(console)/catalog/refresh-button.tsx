"use client";
import { toast } from "sonner";
import { ActionMessage } from "@/components/action/action-message";
import { SubmitButton } from "@/components/action/submit-button";
import { useServerAction } from "@/components/action/use-server-action";
import { refreshCatalogAction } from "./actions";

/** Re-reads Hubby's destinations and bundles (audited). */
export function RefreshCatalogButton() {
  const { run, pending, failure } = useServerAction(refreshCatalogAction, {
    onSuccess: ({ destinations, bundles }) =>
      toast.success(`Catalog refreshed: ${destinations} destinations, ${bundles} bundles.`),
  });
  return (
    <form action={run} className="flex items-center gap-2">
      <SubmitButton variant="outline" size="sm" pending={pending} pendingLabel="Refreshing…">
        Refresh from Hubby
      </SubmitButton>
      <ActionMessage failure={failure} />
    </form>
  );
}
