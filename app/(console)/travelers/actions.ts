"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formToObject, runAction, type ActionResult } from "@/lib/actions";
import { rolesFor } from "@/lib/auth/roles";
import { deleteTeamView, saveTeamView } from "@/lib/travelers/views";

const roles = rolesFor("travelers.views");

const saveViewSchema = z.object({
  name: z.string().trim().min(1, "Give the view a name.").max(80, "At most 80 characters."),
  query: z.string().max(2000).default(""),
});

/** "Save view": the current filter of the travelers list, under a name, for the whole team. */
export async function saveViewAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ id: string; name: string; query: string }>> {
  return runAction(
    { action: "travelers.view_save", roles, schema: saveViewSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const view = await saveTeamView(staff, input, requestId);
      revalidatePath("/travelers");
      return { id: view.id, name: view.name, query: view.query };
    },
  );
}

const deleteViewSchema = z.object({ id: z.uuid("Unknown view.") });

/** Deletes a team view (its creator or an admin). */
export async function deleteViewAction(_prev: unknown, form: FormData): Promise<ActionResult<{ name: string }>> {
  return runAction(
    { action: "travelers.view_delete", roles, schema: deleteViewSchema, input: formToObject(form) },
    async (input, { staff, requestId }) => {
      const deleted = await deleteTeamView(staff, input.id, requestId);
      revalidatePath("/travelers");
      return deleted;
    },
  );
}
