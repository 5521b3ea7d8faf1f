import "server-only";
import { ActionError, ValidationError } from "../errors";
import type { CurrentStaff } from "../auth/staff";
import { db, isUniqueViolation } from "../db";
import { builtInTravelerViews, describeFilter, filterKey, parseTravelerQuery, viewQuery } from "./filters";

/** Team views live in SavedView under this screen name; built-in views are in filters.ts. */
export const TRAVELERS_SCREEN = "travelers";

export type TeamView = {
  id: string;
  name: string;
  query: string;
  createdById: string | null;
  createdByEmail: string | null;
};

export async function listTeamViews(): Promise<TeamView[]> {
  return db().savedView.findMany({
    where: { screen: TRAVELERS_SCREEN },
    select: { id: true, name: true, query: true, createdById: true, createdByEmail: true },
    orderBy: { name: "asc" },
  });
}

const DUPLICATE_NAME = "A view with this name already exists.";

/**
 * Saves the filter of a travelers URL (search, filters and sort; never page or hidden columns) as a view for the
 * whole team. The query is re-read through the list's schema, so only known parameters are stored; `filter` is
 * its description, for the audit entry.
 */
export async function saveTeamView(
  staff: Pick<CurrentStaff, "id" | "email">,
  input: { name: string; query: string },
): Promise<TeamView & { filter: string }> {
  const parsed = parseTravelerQuery(input.query);
  if (!filterKey(parsed))
    throw new ActionError("Search or set a filter first: a view without one shows every traveler.");
  const lower = input.name.toLowerCase();
  const duplicate = new ValidationError({ name: [DUPLICATE_NAME] }, DUPLICATE_NAME);
  if (builtInTravelerViews.some((view) => view.name.toLowerCase() === lower)) throw duplicate;
  const existing = await db().savedView.findFirst({
    where: { screen: TRAVELERS_SCREEN, name: { equals: input.name, mode: "insensitive" } },
    select: { id: true },
  });
  if (existing) throw duplicate;
  try {
    const view = await db().savedView.create({
      data: {
        screen: TRAVELERS_SCREEN,
        name: input.name,
        query: viewQuery(parsed),
        createdById: staff.id,
        createdByEmail: staff.email,
      },
      select: { id: true, name: true, query: true, createdById: true, createdByEmail: true },
    });
    return { ...view, filter: describeFilter(parsed) };
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate;
    throw error;
  }
}

/** A team view as the role matrix's delete rule sees it (`ownerId`), or ActionError when it is gone. */
export async function loadTeamView(id: string) {
  const view = await db().savedView.findFirst({
    where: { id, screen: TRAVELERS_SCREEN },
    select: { id: true, name: true, query: true, createdById: true },
  });
  if (!view) throw new ActionError("This view no longer exists.");
  return { ...view, ownerId: view.createdById };
}

export async function deleteTeamView(id: string): Promise<void> {
  await db().savedView.deleteMany({ where: { id, screen: TRAVELERS_SCREEN } });
}
