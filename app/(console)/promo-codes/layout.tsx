import { requireStaff } from "@/lib/auth/staff";
import { rolesFor } from "@/lib/auth/roles";

// The role check runs above this screen's loading boundary, so a refused request answers 403.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requireStaff(...rolesFor("promoCodes.view"));
  return children;
}
