import { NextResponse } from "next/server";
import { getCurrentStaff } from "@/lib/auth/staff";
import { searchEverything, searchQuerySchema } from "@/lib/search/search";
import { parseSearchParams } from "@/lib/url-params";

/**
 * GET /api/search?q=…: the command palette's lookups. Signed-in staff only (401 otherwise); each kind of result is
 * searched only for a role the matrix lets open it (lib/search/search.ts). Never cached: results follow the data.
 */
export async function GET(request: Request) {
  const staff = await getCurrentStaff();
  if (!staff) return NextResponse.json({ message: "Sign in to search." }, { status: 401 });
  const { values } = parseSearchParams(searchQuerySchema, new URL(request.url).searchParams);
  const results = await searchEverything(staff, values.q);
  return NextResponse.json({ q: values.q, results }, { headers: { "cache-control": "no-store" } });
}
