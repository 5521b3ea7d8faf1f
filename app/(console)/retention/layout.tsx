import { requirePermission } from "@/lib/auth/staff";

// The role check runs here, above this screen's loading boundary, so a refused request answers 403 (not a
// streamed 200). The page checks again where it reads data.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requirePermission("retention.view");
  return children;
}
