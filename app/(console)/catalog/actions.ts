"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { audit } from "@/lib/audit/audit";
import { rolesFor } from "@/lib/auth/roles";
import { refreshCatalog } from "@/lib/catalog/catalog";
import { hubbyFor } from "@/lib/hubby";

/** Re-reads Hubby's destinations and bundles into the cache (audited with what was read). */
export async function refreshCatalogAction(): Promise<ActionResult<{ destinations: number; bundles: number }>> {
  return runAction(
    { action: "catalog.refresh", roles: rolesFor("catalog.view"), schema: z.object({}), input: {} },
    async (_input, { staff, requestId }) => {
      const counts = await refreshCatalog(await hubbyFor(staff));
      await audit({ actor: staff, action: "catalog.refresh", result: "ok", details: counts, requestId });
      revalidatePath("/catalog");
      revalidatePath("/bookings/new");
      return counts;
    },
  );
}
