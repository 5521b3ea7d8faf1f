import { describe, expect, it } from "vitest";
import {
  DEMO,
  addStaff,
  expectScreen,
  pathOf,
  signIn,
  staffRow,
  textOf,
  newStaffMember,
  browserPerFile,
} from "./support";

const browser = browserPerFile();
const session = () => browser.open();

describe("staff management", () => {
  it("an admin adds a staff member who signs in, then disables them and they are signed out on their next request", async () => {
    const admin = await browser.signedIn(DEMO.admin);

    const member = newStaffMember("Nina Newcomer", "Campaign manager");
    await addStaff(admin.page, member);
    const row = staffRow(admin.page, member.email);
    expect(await textOf(row.getByRole("cell", { name: member.name, exact: true }))).toBe(member.name);
    expect(await row.getByRole("cell", { name: "Campaign manager", exact: true }).count()).toBe(1);
    expect(await row.getByText("Active", { exact: true }).count()).toBe(1);

    // The new member signs in from another browser.
    const newcomer = await session();
    await newcomer.page.goto("/login");
    await signIn(newcomer.page, member.email, member.password);
    expect(pathOf(newcomer.page)).toBe("/");
    const header = newcomer.page.getByRole("banner");
    expect(await textOf(header.getByTestId("current-user"))).toBe(member.name);
    expect(await textOf(header.getByTestId("current-role"))).toBe("Campaign manager");

    // The admin disables them.
    await admin.page.getByRole("button", { name: `Disable ${member.email}`, exact: true }).click();
    const dialog = admin.page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Disable account" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row.getByText("Disabled", { exact: true }).waitFor();

    // Their next navigation lands on /login.
    await newcomer.page.goto("/account");
    expect(pathOf(newcomer.page)).toBe("/login");
    await newcomer.page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await newcomer.page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
  });

  it("the staff list shows the demo staff to an admin", async () => {
    const admin = await browser.signedIn(DEMO.admin);
    expect(pathOf(admin.page)).toBe("/");
    await admin.page.goto("/staff");
    await expectScreen(admin.page, "Staff");
    for (const account of [DEMO.admin, DEMO.campaigns, DEMO.support]) {
      await staffRow(admin.page, account.email).waitFor();
    }
    // An admin cannot disable their own account.
    expect(
      await admin.page.getByRole("button", { name: `Disable ${DEMO.admin.email}`, exact: true }).isDisabled(),
    ).toBe(true);
  });
});
