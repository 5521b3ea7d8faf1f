import { may, type Asker, type Permission } from "../auth/roles";

/**
 * The overview's widgets and who sees each: a widget shows for a role that holds its permission in the role matrix
 * (lib/auth/roles.ts), the same permission that guards the screen its figures come from and link to. Pure, so the
 * page and the tests read one list.
 */
export const overviewWidgets = [
  { id: "travelers", title: "Travelers and activity", permission: "travelers.search" },
  { id: "at-risk", title: "At risk", permission: "travelers.search" },
  { id: "webhook-events", title: "Webhook events per day", permission: "webhooks.view" },
  // Money: what the partner pays Hubby and sells on. For those who issue bookings and run campaigns.
  { id: "spend", title: "Spend and value", permission: "bookings.issue" },
  { id: "campaigns", title: "Campaigns", permission: "campaigns.run" },
  { id: "health", title: "Hubby API and webhook health", permission: "webhooks.view" },
] as const satisfies readonly { id: string; title: string; permission: Permission }[];

export type OverviewWidget = (typeof overviewWidgets)[number];
export type OverviewWidgetId = OverviewWidget["id"];

export function widgetsFor(asker: Asker): OverviewWidget[] {
  return overviewWidgets.filter((widget) => may(asker, widget.permission));
}
