import { describe, expect, it } from "vitest";
import {
  DEMO,
  STAFF_LIST_BY_LAST_SIGN_IN,
  browserPerFile,
  expectScreen,
  gotoForbidden,
  inviteStaff,
  newStaffMember,
  pathOf,
  staffRow,
  textOf,
} from "./support";

const browser = browserPerFile();

describe("invites", () => {
  it("an admin invites without email set up, copies the link, and the invitee joins with their own password", async () => {
    const admin = await browser.signedIn(DEMO.admin);
    const member = newStaffMember("Iris Invited", "Campaign manager");
    const link = await inviteStaff(admin.page, member, STAFF_LIST_BY_LAST_SIGN_IN);

    // The invitation waits in the list; no account exists yet.
    const pending = admin.page.getByRole("table", { name: "Pending invitations" });
    await pending.getByRole("cell", { name: member.email, exact: true }).waitFor();
    expect(await admin.page.getByTestId(`staff-row-${member.email}`).count()).toBe(0);

    // The invitee opens the link in their own browser, sees who invited them as what, and chooses a password.
    const invitee = await browser.open();
    await invitee.page.goto(link);
    const welcome = await textOf(invitee.page.getByText(/^Welcome, /));
    expect(welcome).toContain(member.name);
    expect(welcome).toContain(member.email);
    expect(welcome).toContain("Campaign manager");
    await invitee.page.getByLabel("Password", { exact: true }).fill(member.password);
    await invitee.page.getByLabel("Repeat the password", { exact: true }).fill(`${member.password}-typo`);
    await invitee.page.getByRole("button", { name: "Create my account" }).click();
    await invitee.page.getByText("The two passwords differ.").waitFor();

    // A submitted form is reset (React form actions): both fields are typed again.
    await invitee.page.getByLabel("Password", { exact: true }).fill(member.password);
    await invitee.page.getByLabel("Repeat the password", { exact: true }).fill(member.password);
    await invitee.page.getByRole("button", { name: "Create my account" }).click();
    await invitee.page.getByRole("button", { name: "Sign out" }).waitFor();
    expect(pathOf(invitee.page)).toBe("/");
    const header = invitee.page.getByRole("banner");
    expect(await textOf(header.getByTestId("current-user"))).toBe(member.name);
    expect(await textOf(header.getByTestId("current-role"))).toBe("Campaign manager");

    // The admin sees the new member, and the invitation is no longer pending.
    await admin.page.goto(STAFF_LIST_BY_LAST_SIGN_IN);
    await admin.page.getByTestId(`staff-row-${member.email}`).waitFor();
    expect(await staffRow(admin.page, member.email).count()).toBe(1);
    expect(await pending.getByRole("cell", { name: member.email, exact: true }).count()).toBe(0);

    // The link works once.
    const again = await browser.open();
    await again.page.goto(link);
    expect(await textOf(again.page.getByRole("alert").filter({ hasText: /\S/ }))).toMatch(/already used/);
    expect(await again.page.getByRole("button", { name: "Create my account" }).count()).toBe(0);
  });

  it("a made-up invitation link says it is not valid", async () => {
    const visitor = await browser.open();
    await visitor.page.goto(`/invite/${"x".repeat(43)}`);
    expect(await textOf(visitor.page.getByRole("alert").filter({ hasText: /\S/ }))).toMatch(/not valid/);
  });

  it("only admins reach the screen that invites", async () => {
    for (const account of [DEMO.support, DEMO.campaigns]) {
      const session = await browser.signedIn(account);
      await gotoForbidden(session.page, "/staff");
    }
    const admin = await browser.signedIn(DEMO.admin);
    await admin.page.goto("/staff");
    await expectScreen(admin.page, "Staff");
    expect(await admin.page.getByRole("button", { name: "Invite staff" }).count()).toBe(1);
  });
});
