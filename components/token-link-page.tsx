import Link from "next/link";

/**
 * The frame of a page reached through a single-use link (an invitation, a password reset): the form while the link
 * is usable, otherwise why it is not, with the way back to the login page.
 */
export function TokenLinkPage({ children, refusal }: { children?: React.ReactNode; refusal: string | null }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-border bg-card p-6 shadow-sm">
        <h1 className="mb-4 text-lg font-semibold">Hubby partner console</h1>
        {refusal === null ? (
          <div className="flex flex-col gap-4">{children}</div>
        ) : (
          <div className="flex flex-col gap-3">
            <p role="alert" className="text-sm">
              {refusal}
            </p>
            <Link href="/login" className="text-sm underline">
              Go to the login page
            </Link>
          </div>
        )}
      </div>
    </main>
  );
}
