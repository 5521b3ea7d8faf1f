"use server";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/actions";
import { deleteTeamView, loadTeamView, saveTeamView } from "@/lib/travelers/views";

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
    {
      action: "travelers.view_save",
      permission: "travelers.views",
      schema: saveViewSchema,
      run: (input, { staff }) => saveTeamView(staff, input),
      audit: (view) => ({
        targetType: "saved_view",
        targetId: view.id,
        details: { name: view.name, query: view.query, filter: view.filter },
      }),
      revalidate: ["/travelers"],
      reply: (view) => ({ id: view.id, name: view.name, query: view.query }),
    },
    form,
  );
}

const deleteViewSchema = z.object({ id: z.uuid("Unknown view.") });

/** Deletes a team view (the matrix: its owner, or an admin). */
export async function deleteViewAction(_prev: unknown, form: FormData): Promise<ActionResult<{ name: string }>> {
  return runAction(
    {
      action: "travelers.view_delete",
      permission: "travelers.views.delete",
      schema: deleteViewSchema,
      load: (input) => loadTeamView(input.id),
      run: async (_input, { target: view }) => {
        await deleteTeamView(view.id);
        return { name: view.name };
      },
      audit: (_result, _input, view) => ({
        targetType: "saved_view",
        targetId: view.id,
        details: { name: view.name, query: view.query },
      }),
      revalidate: ["/travelers"],
    },
    form,
  );
}
