import { requirePermission } from "@/lib/auth/staff";

// The role check runs above this screen's loading boundary, so a refused request answers 403.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requirePermission("instructions.preview");
  return children;
}
