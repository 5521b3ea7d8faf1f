import { describe, expect, it } from "vitest";
import { DEMO, addStaff, browserPerFile, expectScreen, newStaffMember, staffRow, textOf } from "./support";

// The staff screen's dialogs keep what was typed when the server refuses it, and a member can be renamed.
const browser = browserPerFile();

describe("staff dialogs", () => {
  it("a refused invitation keeps the name, email and role, with the email's error beside it", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    await page.goto("/staff");
    await expectScreen(page, "Staff");
    await page.getByRole("button", { name: "Invite staff" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite staff" });
    await dialog.getByLabel("Name", { exact: true }).fill("Kept Name");
    // An account with this email exists: the server refuses the invitation.
    await dialog.getByLabel("Email", { exact: true }).fill(DEMO.support.email);
    await dialog.getByLabel("Role", { exact: true }).selectOption({ label: "Campaign manager" });
    await dialog.getByRole("button", { name: "Create invitation link" }).click();
    await dialog.getByText("A staff member with this email already exists.").first().waitFor();

    expect(await dialog.getByLabel("Name", { exact: true }).inputValue()).toBe("Kept Name");
    expect(await dialog.getByLabel("Email", { exact: true }).inputValue()).toBe(DEMO.support.email);
    expect(await dialog.getByLabel("Role", { exact: true }).inputValue()).toBe("campaign_manager");

    // Corrected, the same dialog sends it.
    const email = `kept-${Date.now()}@example.test`;
    await dialog.getByLabel("Email", { exact: true }).fill(email);
    await dialog.getByRole("button", { name: "Create invitation link" }).click();
    await dialog.getByLabel("Invitation link", { exact: true }).waitFor();
  });

  it("an admin renames a member through Edit; a refused name stays in the field beside its error", async () => {
    const { page } = await browser.signedIn(DEMO.admin);
    const member = newStaffMember("Rita Rename", "Support");
    await addStaff(page, member);
    const row = staffRow(page, member.email);

    await row.getByRole("button", { name: `Edit ${member.email}`, exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Edit staff member" });
    const name = dialog.getByLabel("Name", { exact: true });
    expect(await name.inputValue()).toBe(member.name);
    const tooLong = "R".repeat(121);
    await name.fill(tooLong);
    await dialog.getByRole("button", { name: "Save name" }).click();
    await dialog.getByText("Use at most 120 characters.").first().waitFor();
    expect(await name.inputValue()).toBe(tooLong);

    await name.fill("Rita Renamed");
    await dialog.getByRole("button", { name: "Save name" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row.getByRole("cell", { name: "Rita Renamed", exact: true }).waitFor();
    expect(await textOf(row.getByRole("cell", { name: "Rita Renamed", exact: true }))).toBe("Rita Renamed");
  });
});
