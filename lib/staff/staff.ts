import "server-only";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { ActionError } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";
import { endSessions } from "../auth/sessions";
import type { StaffRole } from "../auth/roles";
import type { StaffListQuery } from "./schemas";

export const STAFF_PAGE_SIZE = 25;

export async function listStaff(query: StaffListQuery) {
  const where: Prisma.StaffUserWhereInput = {
    ...(query.q
      ? {
          OR: [
            { email: { contains: query.q, mode: "insensitive" } },
            { name: { contains: query.q, mode: "insensitive" } },
          ],
        }
      : {}),
    ...(query.status === "active" ? { disabled: false } : query.status === "disabled" ? { disabled: true } : {}),
  };
  const field = query.sort.replace(/^-/, "") as "name" | "email" | "role" | "lastLoginAt";
  const direction = query.sort.startsWith("-") ? "desc" : "asc";
  const [rows, total] = await Promise.all([
    db().staffUser.findMany({
      where,
      // `nulls` is only valid on nullable columns.
      orderBy: [
        field === "lastLoginAt" ? { lastLoginAt: { sort: direction, nulls: "last" } } : { [field]: direction },
        { id: "asc" },
      ],
      skip: (query.page - 1) * STAFF_PAGE_SIZE,
      take: STAFF_PAGE_SIZE,
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        disabled: true,
        hasPassword: true,
        lastLoginAt: true,
        createdAt: true,
      },
    }),
    db().staffUser.count({ where }),
  ]);
  return { rows, total, pageSize: STAFF_PAGE_SIZE };
}

async function findOrFail(tx: Prisma.TransactionClient, id: string) {
  const user = await tx.staffUser.findUnique({
    where: { id },
    select: { id: true, email: true, role: true, disabled: true },
  });
  if (!user) throw new ActionError("This staff member no longer exists.");
  return user;
}

/**
 * Runs a change that could leave no enabled admin. Admin rows are locked first, so two admins disabling each
 * other at the same moment cannot both succeed.
 */
async function withAdminGuard<T>(
  id: string,
  fn: (tx: Prisma.TransactionClient, user: Awaited<ReturnType<typeof findOrFail>>) => Promise<T>,
  removesAdmin: (user: Awaited<ReturnType<typeof findOrFail>>) => boolean,
): Promise<T> {
  return db().$transaction(async (tx) => {
    const admins = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM "StaffUser" WHERE role = 'admin' AND disabled = false FOR UPDATE`;
    const user = await findOrFail(tx, id);
    if (removesAdmin(user) && admins.every((admin) => admin.id === id)) {
      throw new ActionError("This is the last enabled admin. Add or enable another admin first.");
    }
    return fn(tx, user);
  });
}

export async function changeStaffRole(id: string, role: StaffRole) {
  return withAdminGuard(
    id,
    async (tx, user) => {
      await tx.staffUser.update({ where: { id }, data: { role } });
      return { email: user.email, from: user.role, to: role };
    },
    (user) => user.role === "admin" && !user.disabled && role !== "admin",
  );
}

/** Renames a staff member (the name shown in lists and audit entries); the email, their sign-in, stays. */
export async function renameStaff(id: string, name: string) {
  return db().$transaction(async (tx) => {
    const user = await tx.staffUser.findUnique({ where: { id }, select: { email: true, name: true } });
    if (!user) throw new ActionError("This staff member no longer exists.");
    await tx.staffUser.update({ where: { id }, data: { name } });
    return { email: user.email, from: user.name, to: name };
  });
}

export async function setStaffDisabled(id: string, disabled: boolean, actorId: string) {
  if (disabled && id === actorId) throw new ActionError("You cannot disable your own account.");
  return withAdminGuard(
    id,
    async (tx, user) => {
      // Bumping sessionVersion ends the user's sessions on their next request.
      await tx.staffUser.update({
        where: { id },
        data: { disabled, ...(disabled ? { sessionVersion: { increment: 1 } } : {}) },
      });
      return { email: user.email };
    },
    (user) => disabled && user.role === "admin" && !user.disabled,
  );
}

/**
 * Changing one's own password keeps the session it was changed from (`keepSessionId`) and ends every other one: a
 * browser left signed in elsewhere, or a copied cookie, stops working. Answers how many sessions ended.
 */
export async function changeOwnPassword(
  id: string,
  currentPassword: string,
  newPassword: string,
  keepSessionId: string | undefined,
): Promise<number> {
  const user = await db().staffUser.findUnique({ where: { id }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    // A refusal, not a form mistake: audited, so repeated guesses show in the audit log.
    throw new ActionError("The current password is not correct.", {
      fieldErrors: { currentPassword: ["The current password is not correct."] },
    });
  }
  await db().staffUser.update({ where: { id }, data: { passwordHash: await hashPassword(newPassword) } });
  return endSessions(id, "password_changed", keepSessionId);
}

export async function getStaffProfile(id: string) {
  return db().staffUser.findUnique({
    where: { id },
    select: { email: true, name: true, role: true, lastLoginAt: true, createdAt: true, hasPassword: true },
  });
}
