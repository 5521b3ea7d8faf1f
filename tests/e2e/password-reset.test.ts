import { describe, expect, it } from "vitest";
import { totpCode } from "@/lib/auth/two-factor-codes";
import {
  DEMO,
  GENERIC_SIGN_IN_ERROR,
  STAFF_LIST_BY_LAST_SIGN_IN,
  addStaff,
  browserPerFile,
  expectScreen,
  failedSignIn,
  newStaffMember,
  pathOf,
  signIn,
  staffRow,
  textOf,
} from "./support";

const browser = browserPerFile();

describe("password reset and recovery codes", () => {
  it("an admin sends a reset link (copied, no SMTP); the member chooses a new password and the old one stops working", async () => {
    const admin = await browser.signedIn(DEMO.admin);
    const member = newStaffMember("Rita Reset", "Support");
    await addStaff(admin.page, member, STAFF_LIST_BY_LAST_SIGN_IN);
    const before = await browser.signedIn(member);

    // The admin confirms, and gets the link to pass on: no password field anywhere.
    await admin.page.goto(STAFF_LIST_BY_LAST_SIGN_IN);
    const row = staffRow(admin.page, member.email);
    await row.getByRole("button", { name: `Send password reset to ${member.email}`, exact: true }).click();
    const dialog = admin.page.getByRole("dialog");
    expect(await dialog.locator('input[type="password"]').count()).toBe(0);
    await dialog.getByRole("button", { name: "Send password reset", exact: true }).click();
    const link = await dialog.getByLabel("Password reset link", { exact: true }).inputValue();
    expect(link).toMatch(/\/password-reset\/[A-Za-z0-9_-]{40,}$/);
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });

    // Until the link is used, the old password still signs in.
    const stillOld = await browser.open();
    await stillOld.page.goto("/login");
    await signIn(stillOld.page, member.email, member.password);

    // The member opens the link and chooses a new password.
    const reset = await browser.open();
    await reset.page.goto(link);
    expect(await textOf(reset.page.getByText(/choose a new password for/))).toContain(member.email);
    const newPassword = `${member.password}-renewed`;
    await reset.page.getByLabel("New password", { exact: true }).fill(newPassword);
    await reset.page.getByLabel("Repeat the password", { exact: true }).fill(newPassword);
    await reset.page.getByRole("button", { name: "Set my new password" }).click();
    await reset.page.getByText(/Your password is changed/).waitFor();
    await reset.page.getByRole("link", { name: "Sign in with your new password" }).click();
    await signIn(reset.page, member.email, newPassword);
    expect(pathOf(reset.page)).toBe("/");

    // The old password is refused, and the sessions from before the reset have ended.
    const old = await browser.open();
    expect(await failedSignIn(old.page, member.email, member.password)).toBe(GENERIC_SIGN_IN_ERROR);
    for (const session of [before, stillOld]) {
      await session.page.goto("/account");
      expect(pathOf(session.page)).toBe("/login");
    }

    // The link worked once.
    const again = await browser.open();
    await again.page.goto(link);
    expect(await textOf(again.page.getByRole("alert").filter({ hasText: /\S/ }))).toMatch(/already used/);
    expect(await again.page.getByRole("button", { name: "Set my new password" }).count()).toBe(0);
  });

  it("a member with two-factor makes new recovery codes on /account, shown once", async () => {
    const admin = await browser.signedIn(DEMO.admin);
    const member = newStaffMember("Reggie Recovery", "Support");
    await addStaff(admin.page, member, STAFF_LIST_BY_LAST_SIGN_IN);

    const own = await browser.signedIn(member);
    await own.page.goto("/account");
    await expectScreen(own.page, "My account");
    await own.page.getByRole("button", { name: "Set up two-factor" }).click();
    const secret = await textOf(own.page.getByTestId("totp-secret"));
    await own.page.getByLabel("Code from the app", { exact: true }).fill(totpCode(secret));
    await own.page.getByRole("button", { name: "Turn on two-factor" }).click();
    const firstList = own.page.getByRole("list", { name: "Recovery codes" });
    await firstList.waitFor();
    const first = (await firstList.getByRole("listitem").allTextContents()).map((code) => code.trim());
    await own.page.getByRole("button", { name: "I have saved them" }).click();
    await own.page.getByTestId("two-factor-status").waitFor();

    // New codes need proof again: a wrong password is refused, the right one gives ten new codes.
    await own.page.getByRole("button", { name: "New recovery codes" }).click();
    const dialog = own.page.getByRole("dialog", { name: "New recovery codes" });
    const proof = dialog.getByLabel("Code from your authenticator app, or your password", { exact: true });
    await proof.fill("not-the-right-password");
    await dialog.getByRole("button", { name: "Make new codes" }).click();
    expect(await textOf(dialog.getByText(/neither the code/))).toMatch(/neither the code/);
    await proof.fill(member.password);
    await dialog.getByRole("button", { name: "Make new codes" }).click();
    const newList = dialog.getByRole("list", { name: "Recovery codes" });
    await newList.waitFor();
    const fresh = (await newList.getByRole("listitem").allTextContents()).map((code) => code.trim());
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => first.includes(code))).toEqual([]);
    await dialog.getByRole("button", { name: "I have saved them" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await textOf(own.page.getByTestId("two-factor-status"))).toMatch(/10 of 10 recovery codes/);
    // Shown once: opening the dialog again asks for proof, it does not show the codes.
    await own.page.getByRole("button", { name: "New recovery codes" }).click();
    await dialog.getByRole("button", { name: "Make new codes" }).waitFor();
    expect(await dialog.getByRole("list", { name: "Recovery codes" }).count()).toBe(0);
  });
});
