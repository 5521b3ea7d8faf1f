import Link from "next/link";
import { requireStaff } from "@/lib/auth/staff";
import { may, roleLabels } from "@/lib/auth/roles";
import { unreadIncidentCount } from "@/lib/alerts/incidents";
import { hubbyEnvironment } from "@/lib/env";
import { screensFor } from "@/lib/navigation";
import { CommandPalette } from "@/components/command-palette";
import { paletteCommandsFor } from "@/components/command-palette-commands";
import { AlertBell } from "@/components/shell/alert-bell";
import { EnvironmentBadge } from "@/components/shell/environment-badge";
import { MobileNav } from "@/components/shell/mobile-nav";
import { Sidebar } from "@/components/shell/sidebar";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { DisabledEndpointsNotice } from "./forwarding/disabled-endpoints-notice";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const staff = await requireStaff();
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-56 shrink-0 border-r border-border md:block">
        <Link href="/" className="flex items-center gap-2 px-6 py-4 text-sm font-semibold">
          {/* eslint-disable-next-line @next/next/no-img-element -- a 20 px SVG needs no image optimisation */}
          <img src="/logo.svg" alt="" width={20} height={20} />
          Hubby console
        </Link>
        <Sidebar screens={screensFor(staff.role)} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-4 border-b border-border px-4 py-2">
          <div className="flex items-center gap-3">
            <span className="text-sm font-semibold md:hidden">Hubby console</span>
            <EnvironmentBadge environment={hubbyEnvironment()} />
            <CommandPalette {...paletteCommandsFor(staff.role)} />
          </div>
          <div className="flex items-center gap-3 text-sm">
            {may(staff, "alerts.view") && <AlertBell initialUnread={await unreadIncidentCount(staff)} />}
            <span className="text-right leading-tight">
              <span className="block font-medium" data-testid="current-user">
                {staff.name}
              </span>
              <span className="block text-xs text-muted-foreground" data-testid="current-role">
                {roleLabels[staff.role]}
              </span>
            </span>
            <SignOutButton />
          </div>
        </header>
        <MobileNav screens={screensFor(staff.role)} />
        <DisabledEndpointsNotice role={staff.role} />
        <main className="flex-1 p-4 md:p-6">{children}</main>
      </div>
    </div>
  );
}
