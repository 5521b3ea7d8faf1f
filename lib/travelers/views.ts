import "server-only";
import { ActionError } from "../actions";
import { audit } from "../audit/audit";
import type { CurrentStaff } from "../auth/staff";
import { db, isUniqueViolation } from "../db";
import {
  TRAVELERS_SCREEN,
  builtInTravelerViews,
  describeFilter,
  filterKey,
  parseTravelerQuery,
  viewQuery,
} from "./filters";

export { TRAVELERS_SCREEN };

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
 * whole team, and audits it. The query is re-read through the list's schema, so only known parameters are stored.
 */
export async function saveTeamView(
  staff: CurrentStaff,
  input: { name: string; query: string },
  requestId: string,
): Promise<TeamView> {
  const parsed = parseTravelerQuery(input.query);
  if (!filterKey(parsed))
    throw new ActionError("Search or set a filter first: a view without one shows every traveler.");
  const lower = input.name.toLowerCase();
  if (builtInTravelerViews.some((view) => view.name.toLowerCase() === lower)) {
    throw new ActionError(DUPLICATE_NAME, { name: [DUPLICATE_NAME] });
  }
  const existing = await db().savedView.findFirst({
    where: { screen: TRAVELERS_SCREEN, name: { equals: input.name, mode: "insensitive" } },
    select: { id: true },
  });
  if (existing) throw new ActionError(DUPLICATE_NAME, { name: [DUPLICATE_NAME] });
  const query = viewQuery(parsed);
  let view: TeamView;
  try {
    view = await db().savedView.create({
      data: { screen: TRAVELERS_SCREEN, name: input.name, query, createdById: staff.id, createdByEmail: staff.email },
      select: { id: true, name: true, query: true, createdById: true, createdByEmail: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ActionError(DUPLICATE_NAME, { name: [DUPLICATE_NAME] });
    throw error;
  }
  await audit({
    actor: staff,
    action: "travelers.view_save",
    targetType: "saved_view",
    targetId: view.id,
    result: "ok",
    details: { name: view.name, query, filter: describeFilter(parsed) },
    requestId,
  });
  return view;
}

/** Deletes a team view; only the staff member who saved it or an admin may. Audited. */
export async function deleteTeamView(staff: CurrentStaff, id: string, requestId: string): Promise<{ name: string }> {
  const view = await db().savedView.findFirst({
    where: { id, screen: TRAVELERS_SCREEN },
    select: { id: true, name: true, query: true, createdById: true },
  });
  if (!view) throw new ActionError("This view no longer exists.");
  if (view.createdById !== staff.id && staff.role !== "admin") {
    throw new ActionError("Only the staff member who saved this view, or an admin, can delete it.");
  }
  await db().savedView.deleteMany({ where: { id: view.id } });
  await audit({
    actor: staff,
    action: "travelers.view_delete",
    targetType: "saved_view",
    targetId: view.id,
    result: "ok",
    details: { name: view.name, query: view.query },
    requestId,
  });
  return { name: view.name };
}
