import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { FORBIDDEN_MESSAGE } from "@/lib/actions";
import { verifyPassword } from "@/lib/auth/password";
import {
  changeRoleAction,
  inviteStaffAction,
  renameStaffAction,
  sendPasswordResetAction,
  setDisabledAction,
} from "@/app/(console)/staff/actions";
import { changeOwnPasswordAction } from "@/app/(console)/account/actions";
import { form, makeStaff, signInAs, TEST_PASSWORD } from "../support/factories";
import { setSession } from "../support/session";

const staffActions = {
  "staff.invite": (target: { id: string }) =>
    inviteStaffAction(null, form({ email: `new-${target.id.slice(0, 6)}@example.test`, name: "New", role: "support" })),
  "staff.change_role": (target: { id: string }) => changeRoleAction(null, form({ id: target.id, role: "admin" })),
  "staff.rename": (target: { id: string }) => renameStaffAction(null, form({ id: target.id, name: "Renamed" })),
  "staff.set_disabled": (target: { id: string }) => setDisabledAction(null, form({ id: target.id, disabled: "true" })),
  "staff.password_reset_send": (target: { id: string }) => sendPasswordResetAction(null, form({ id: target.id })),
};

describe("staff actions refuse every role but admin", () => {
  for (const role of ["support", "campaign_manager"] as const) {
    for (const [action, call] of Object.entries(staffActions)) {
      it(`${role} is refused ${action}, nothing changes, and the refusal is audited`, async () => {
        const target = await makeStaff("support");
        const actor = await signInAs(role);
        const result = await call(target);
        expect(result).toEqual({ ok: false, message: FORBIDDEN_MESSAGE });
        const after = await db().staffUser.findUniqueOrThrow({ where: { id: target.id } });
        expect(after).toMatchObject({ role: "support", disabled: false, sessionVersion: 1 });
        expect(await verifyPassword(after.passwordHash, TEST_PASSWORD)).toBe(true);
        expect(await db().staffInvite.count({ where: { staffId: target.id } })).toBe(0);
        const entry = await db().auditEntry.findFirst({
          where: { action, actorId: actor.id },
          orderBy: { at: "desc" },
        });
        expect(entry).toMatchObject({ result: "refused" });
      });
    }
  }

  it("a signed-out caller is sent to /login", async () => {
    const target = await makeStaff("support");
    setSession(null);
    await expect(staffActions["staff.set_disabled"](target)).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT/),
    });
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: target.id } })).disabled).toBe(false);
  });
});

describe("staff actions as admin", () => {
  it("invites a staff member (no account until they accept) and audits it", async () => {
    const admin = await signInAs("admin");
    const result = await inviteStaffAction(
      null,
      form({ email: " New.Person@Example.test ", name: "New Person", role: "campaign_manager" }),
    );
    expect(result).toMatchObject({ ok: true, data: { email: "new.person@example.test", emailed: false } });
    expect(await db().staffUser.count({ where: { email: "new.person@example.test" } })).toBe(0);
    const invite = await db().staffInvite.findFirstOrThrow({ where: { email: "new.person@example.test" } });
    expect(await db().auditEntry.findFirst({ where: { action: "staff.invite", actorId: admin.id } })).toMatchObject({
      result: "ok",
      targetId: invite.id,
    });
  });

  it("explains bad input field by field and refuses the email of an existing member", async () => {
    await signInAs("admin");
    const bad = await inviteStaffAction(null, form({ email: "not-an-email", name: "", role: "root" }));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["email", "name", "role"]);

    const existing = await makeStaff("support");
    const duplicate = await inviteStaffAction(null, form({ email: existing.email, name: "Dup", role: "support" }));
    expect(duplicate).toMatchObject({ ok: false, fieldErrors: { email: [expect.stringContaining("already exists")] } });
  });

  it("changes a role, disables (ending sessions) and enables again", async () => {
    await signInAs("admin");
    const target = await makeStaff("support");
    expect(await changeRoleAction(null, form({ id: target.id, role: "campaign_manager" }))).toMatchObject({ ok: true });
    expect(await setDisabledAction(null, form({ id: target.id, disabled: "true" }))).toMatchObject({ ok: true });
    let stored = await db().staffUser.findUniqueOrThrow({ where: { id: target.id } });
    expect(stored).toMatchObject({ role: "campaign_manager", disabled: true, sessionVersion: 2 });
    expect(await setDisabledAction(null, form({ id: target.id, disabled: "false" }))).toMatchObject({ ok: true });
    stored = await db().staffUser.findUniqueOrThrow({ where: { id: target.id } });
    expect(stored.disabled).toBe(false);
    const actions = (await db().auditEntry.findMany({ where: { targetId: target.id }, orderBy: { id: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["staff.change_role", "staff.disable", "staff.enable"]);
  });

  it("sends a password reset link: the admin never types a password, and the current one keeps working", async () => {
    await signInAs("admin");
    const target = await makeStaff("support");
    const result = await sendPasswordResetAction(null, form({ id: target.id }));
    expect(result).toMatchObject({ ok: true, data: { email: target.email, emailed: false } });
    const stored = await db().staffUser.findUniqueOrThrow({ where: { id: target.id } });
    expect(stored.sessionVersion).toBe(1);
    expect(await verifyPassword(stored.passwordHash, TEST_PASSWORD)).toBe(true);
  });

  it("never disables or demotes the last enabled admin, and never disables oneself", async () => {
    await db().staffUser.updateMany({ where: { role: "admin" }, data: { disabled: true } });
    const admin = await signInAs("admin");
    const self = await setDisabledAction(null, form({ id: admin.id, disabled: "true" }));
    expect(self).toMatchObject({ ok: false, message: "You cannot disable your own account." });
    const demote = await changeRoleAction(null, form({ id: admin.id, role: "support" }));
    expect(demote).toMatchObject({ ok: false, message: expect.stringContaining("last enabled admin") });
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");

    const second = await makeStaff("admin");
    expect(await changeRoleAction(null, form({ id: second.id, role: "support" }))).toMatchObject({ ok: true });
    const refused = await db().auditEntry.findFirst({
      where: { action: "staff.change_role", actorId: admin.id, result: "refused" },
    });
    expect(refused).not.toBeNull();
  });

  it("reports an unknown staff id clearly", async () => {
    await signInAs("admin");
    const result = await sendPasswordResetAction(null, form({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(result).toMatchObject({ ok: false, message: "This staff member no longer exists." });
    expect(await setDisabledAction(null, form({ id: "not-a-uuid", disabled: "true" }))).toMatchObject({
      ok: false,
      fieldErrors: { id: ["Unknown staff member."] },
    });
  });
});

describe("my account", () => {
  it("every role can change its own password, with the current one", async () => {
    for (const role of ["admin", "campaign_manager", "support"] as const) {
      const user = await signInAs(role);
      const wrong = await changeOwnPasswordAction(
        null,
        form({ currentPassword: "nope", newPassword: "a-new-long-password" }),
      );
      expect(wrong).toMatchObject({ ok: false, fieldErrors: { currentPassword: [expect.any(String)] } });
      const ok = await changeOwnPasswordAction(
        null,
        form({ currentPassword: TEST_PASSWORD, newPassword: "a-new-long-password" }),
      );
      expect(ok).toEqual({ ok: true, data: null });
      const stored = await db().staffUser.findUniqueOrThrow({ where: { id: user.id } });
      expect(await verifyPassword(stored.passwordHash, "a-new-long-password")).toBe(true);
      expect(stored.sessionVersion).toBe(1);
    }
  });

  it("a signed-out caller is sent to /login", async () => {
    setSession(null);
    await expect(
      changeOwnPasswordAction(null, form({ currentPassword: TEST_PASSWORD, newPassword: "a-new-long-password" })),
    ).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });
  });
});

describe("renaming staff", () => {
  it("an admin renames a member: the name changes, the email stays, and the entry names both names", async () => {
    const target = await makeStaff("support");
    const before = await db().staffUser.findUniqueOrThrow({ where: { id: target.id } });
    await signInAs("admin");
    expect(await renameStaffAction(null, form({ id: target.id, name: "  Dana Field  " }))).toMatchObject({
      ok: true,
      data: { email: before.email },
    });
    const after = await db().staffUser.findUniqueOrThrow({ where: { id: target.id } });
    expect(after).toMatchObject({ name: "Dana Field", email: before.email, role: before.role });
    const entry = await db().auditEntry.findFirstOrThrow({ where: { targetId: target.id, action: "staff.rename" } });
    expect(entry).toMatchObject({ result: "ok", targetType: "staff" });
    expect(entry.details).toMatchObject({ email: before.email, from: before.name, to: "Dana Field" });
  });

  it("an empty or overlong name is refused beside the field, and nothing changes", async () => {
    const target = await makeStaff("support");
    const before = await db().staffUser.findUniqueOrThrow({ where: { id: target.id } });
    await signInAs("admin");
    expect(await renameStaffAction(null, form({ id: target.id, name: "   " }))).toMatchObject({
      ok: false,
      fieldErrors: { name: ["Enter a name."] },
    });
    expect(await renameStaffAction(null, form({ id: target.id, name: "x".repeat(121) }))).toMatchObject({
      ok: false,
      fieldErrors: { name: ["Use at most 120 characters."] },
    });
    expect(await renameStaffAction(null, form({ id: crypto.randomUUID(), name: "Ghost" }))).toMatchObject({
      ok: false,
      message: "This staff member no longer exists.",
    });
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: target.id } })).name).toBe(before.name);
  });
});
