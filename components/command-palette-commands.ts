import { may, type Permission, type StaffRole } from "@/lib/auth/roles";
import { screensFor } from "@/lib/navigation";

/**
 * What the command palette offers a role besides search results: the screens it may open (the sidebar's list), the
 * actions it may start, and the two-key jumps ("g t") to screens it may open. Decided by the role matrix here, on
 * the server, so a role never receives a command it may not use.
 */

export type PaletteLink = { label: string; href: string };
export type PaletteJump = PaletteLink & { keys: string };

const actions = [
  { label: "Top up…", href: "/bookings/new?topUp=1", permission: "bookings.topUp" },
  { label: "New booking", href: "/bookings/new", permission: "bookings.issue" },
  { label: "Issue promo codes", href: "/bookings/new?mode=promo", permission: "promoCodes.issue" },
  { label: "New campaign", href: "/campaigns/new", permission: "campaigns.run" },
  { label: "Preview install instructions", href: "/instructions", permission: "instructions.preview" },
] as const satisfies readonly (PaletteLink & { permission: Permission })[];

/** "g" then the letter: the screens people jump between most. */
const jumpKeys: Record<string, string> = {
  "/": "g o",
  "/travelers": "g t",
  "/bookings": "g b",
  "/webhooks": "g w",
  "/campaigns": "g c",
  "/promo-codes": "g p",
  "/catalog": "g k",
  "/audit": "g a",
};

export function paletteCommandsFor(role: StaffRole): {
  screens: PaletteLink[];
  actions: PaletteLink[];
  jumps: PaletteJump[];
} {
  const screens = screensFor(role).map((screen) => ({ label: screen.label, href: screen.href }));
  return {
    screens,
    actions: actions.filter((action) => may({ role }, action.permission)).map(({ label, href }) => ({ label, href })),
    jumps: screens.flatMap((screen) => {
      const keys = jumpKeys[screen.href];
      return keys ? [{ ...screen, keys }] : [];
    }),
  };
}
