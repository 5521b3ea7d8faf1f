import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

// Public by design: this is where staff sign in. requireStaff guards everything else.
type Handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const handler: Handler = (request, context) => NextAuth(getAuthOptions())(request, context);

export { handler as GET, handler as POST };
