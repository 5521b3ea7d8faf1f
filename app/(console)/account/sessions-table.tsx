import { DataTable, type Column } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";
import type { ActiveSession } from "@/lib/auth/sessions";
import { utcStamp } from "@/lib/format";
import { EndSessionButton } from "./end-session-button";

const columns: readonly Column<ActiveSession>[] = [
  {
    id: "device",
    header: "Device",
    cell: (session) => (
      <span className="flex items-center gap-2">
        {session.device}
        {session.current && <Badge variant="info">This browser</Badge>}
      </span>
    ),
  },
  { id: "ip", header: "IP address", cell: (session) => session.ip, className: "font-mono text-xs" },
  {
    id: "method",
    header: "Signed in with",
    cell: (session) => (session.method === "sso" ? "Single sign-on" : "Password"),
  },
  { id: "created", header: "Signed in", cell: (session) => utcStamp(session.createdAt) },
  { id: "lastSeen", header: "Last seen", cell: (session) => utcStamp(session.lastSeenAt) },
  {
    id: "actions",
    header: <span className="sr-only">Actions</span>,
    cell: (session) => (session.current ? null : <EndSessionButton id={session.id} device={session.device} />),
    className: "text-right",
  },
];

/** The user's active sessions (at most 100, most recent first: a list, not a paged screen). */
export function SessionsTable({ sessions }: { sessions: readonly ActiveSession[] }) {
  return (
    <DataTable
      columns={columns}
      rows={sessions}
      empty="No active sessions."
      testIdPrefix="session-"
      label="Active sessions"
    />
  );
}
