import type { DefaultSession } from "next-auth";
import type { StaffRole } from "./roles";

declare module "next-auth" {
  interface User {
    role?: StaffRole;
    sessionVersion?: number;
  }
  interface Session {
    user: DefaultSession["user"] & { id: string; sessionVersion: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
    role?: StaffRole;
  }
}
