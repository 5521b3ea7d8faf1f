import { describe, expect, it } from "vitest";
import {
  DEMO,
  GENERIC_SIGN_IN_ERROR,
  STAFF_LIST_BY_LAST_SIGN_IN,
  THROTTLED_PREFIX,
  addStaff,
  failedSignIn,
  pathOf,
  signIn,
  newStaffMember,
  browserPerFile,
} from "./support";

// Named to sort last. It only ever fails sign-ins for an account it creates, from an address used by no other
// context (10.78.x.y, outside the 10.77.x.y range of support.ts), so it cannot throttle the demo accounts or
// another test's address whatever order the files run in.

const browser = browserPerFile();

describe("sign-in throttling", () => {
  it("after 5 wrong passwords even the right password is refused with the throttled message", async () => {
    const admin = await browser.signedIn(DEMO.admin);
    const member = newStaffMember("Theo Throttled", "Support");
    await addStaff(admin.page, member, STAFF_LIST_BY_LAST_SIGN_IN);

    const ip = `10.78.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    const attacker = await browser.open({ ip });
    await attacker.page.goto("/login");
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await failedSignIn(attacker.page, member.email, `wrong-password-${attempt}`), `attempt ${attempt}`).toBe(
        GENERIC_SIGN_IN_ERROR,
      );
    }
    const message = await failedSignIn(attacker.page, member.email, member.password);
    expect(message.startsWith(THROTTLED_PREFIX), message).toBe(true);
    expect(pathOf(attacker.page)).toBe("/login");

    // The account is throttled from any address, not only the one that failed.
    const elsewhere = await browser.open();
    await elsewhere.page.goto("/login");
    const fromElsewhere = await failedSignIn(elsewhere.page, member.email, member.password);
    expect(fromElsewhere.startsWith(THROTTLED_PREFIX), fromElsewhere).toBe(true);

    // Other accounts are unaffected.
    await signIn(elsewhere.page, DEMO.support.email, DEMO.support.password);
    expect(pathOf(elsewhere.page)).toBe("/");
  });
});
