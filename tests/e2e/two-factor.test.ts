import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { totpCode } from "@/lib/auth/two-factor-codes";
import {
  DEMO,
  STAFF_LIST_BY_LAST_SIGN_IN,
  addStaff,
  browserPerFile,
  expectBrowserError,
  expectScreen,
  failedLoad,
  newStaffMember,
  pathOf,
  signInError,
  staffRow,
  submitSignIn,
  textOf,
  type NewStaffMember,
} from "./support";

const browser = browserPerFile();

/**
 * Password first: with TOTP on, next-auth answers the password step 401 with the challenge (no session yet), which
 * Chromium logs; the form then asks for the code.
 */
async function passwordThenCodeStep(page: Page, member: NewStaffMember) {
  expectBrowserError(page, failedLoad(401), "the password step of a two-factor account answers 401 with a challenge");
  await page.goto("/login");
  await submitSignIn(page, member.email, member.password);
  await page.getByLabel("Authentication code", { exact: true }).waitFor();
  expect(pathOf(page)).toBe("/login");
  expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
}

async function submitCode(page: Page, code: string) {
  await page.getByLabel("Authentication code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

describe("two-factor sign-in", () => {
  it("a staff member turns TOTP on, signs in with a code, and uses a recovery code once", async () => {
    const admin = await browser.signedIn(DEMO.admin);
    const member = newStaffMember("Tess Totp", "Support");
    await addStaff(admin.page, member, STAFF_LIST_BY_LAST_SIGN_IN);

    // Enrolment on "My account": QR code, the key, the first code, ten recovery codes.
    const own = await browser.signedIn(member);
    await own.page.goto("/account");
    await expectScreen(own.page, "My account");
    await own.page.getByRole("button", { name: "Set up two-factor" }).click();
    await own.page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
    const secret = await textOf(own.page.getByTestId("totp-secret"));
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await own.page.getByLabel("Code from the app", { exact: true }).fill(totpCode(secret));
    await own.page.getByRole("button", { name: "Turn on two-factor" }).click();
    const list = own.page.getByRole("list", { name: "Recovery codes" });
    await list.waitFor();
    const recoveryCodes = (await list.getByRole("listitem").allTextContents()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    await own.page.getByRole("button", { name: "I have saved them" }).click();
    expect(await textOf(own.page.getByTestId("two-factor-status"))).toMatch(/^On since .* 10 of 10 recovery codes/);

    // The admin sees two-factor on for them.
    await admin.page.goto(STAFF_LIST_BY_LAST_SIGN_IN);
    expect(await textOf(staffRow(admin.page, member.email).getByRole("cell", { name: "On", exact: true }))).toBe("On");

    // Sign-in now takes the password and then a code. The code for the next 30-second step is accepted (one step
    // of drift) and is never the step the enrolment used, which is refused as a replay.
    const withCode = await browser.open();
    await passwordThenCodeStep(withCode.page, member);
    await submitCode(withCode.page, totpCode(secret, Date.now() + 30_000));
    await withCode.page.getByRole("button", { name: "Sign out" }).waitFor();
    expect(pathOf(withCode.page)).toBe("/");

    // A recovery code signs in once.
    const withRecovery = await browser.open();
    await passwordThenCodeStep(withRecovery.page, member);
    await submitCode(withRecovery.page, recoveryCodes[0]!);
    await withRecovery.page.getByRole("button", { name: "Sign out" }).waitFor();
    await withRecovery.page.goto("/account");
    expect(await textOf(withRecovery.page.getByTestId("two-factor-status"))).toMatch(/9 of 10 recovery codes/);

    // Its second use is refused, and no session is given.
    const reused = await browser.open();
    await passwordThenCodeStep(reused.page, member);
    await submitCode(reused.page, recoveryCodes[0]!);
    expect(await signInError(reused.page)).toMatch(/^That code is not right/);
    expect(pathOf(reused.page)).toBe("/login");
    await reused.page.goto("/account");
    expect(pathOf(reused.page)).toBe("/login");
  });
});
