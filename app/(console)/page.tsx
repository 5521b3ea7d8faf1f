import { redirect } from "next/navigation";
import { requireStaff } from "@/lib/auth/staff";
import { homeFor } from "@/lib/navigation";

export default async function Home() {
  const staff = await requireStaff();
  redirect(homeFor(staff.role));
}
