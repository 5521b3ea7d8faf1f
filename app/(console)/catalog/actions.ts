"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { refreshCatalog } from "@/lib/catalog/catalog";
import { hubbyFor } from "@/lib/hubby";

/** Re-reads Hubby's destinations and bundles into the cache (audited with what was read). */
export async function refreshCatalogAction(): Promise<ActionResult<{ destinations: number; bundles: number }>> {
  return runAction({
    action: "catalog.refresh",
    permission: "catalog.view",
    schema: z.object({}),
    run: async (_input, { staff }) => refreshCatalog(await hubbyFor(staff)),
    audit: (counts) => ({ details: counts }),
    revalidate: ["/catalog", "/bookings/new"],
  });
}
