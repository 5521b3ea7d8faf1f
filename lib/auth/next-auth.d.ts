import type { DefaultSession } from "next-auth";
import type { StaffRole } from "./roles";

declare module "next-auth" {
  interface User {
    role?: StaffRole;
    sessionVersion?: number;
  }
  interface Session {
    /** sessionId: the server-side session record (lib/auth/sessions.ts) this cookie stands for. */
    user: DefaultSession["user"] & { id: string; sessionVersion: number; sessionId?: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
    /** The StaffSession id; a cookie whose session ended is refused. */
    sid?: string;
    role?: StaffRole;
  }
}
