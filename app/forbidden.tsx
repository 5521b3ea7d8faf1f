import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="max-w-md rounded-lg border border-border p-6">
        <p className="text-sm font-semibold text-muted-foreground">403</p>
        <h1 className="text-lg font-semibold">You do not have access to this page</h1>
        <p className="mt-2 text-sm text-muted-foreground">
          Your role does not include this screen. If you need it for your work, ask an admin to change your role.
        </p>
        <Link href="/" className="mt-4 inline-block text-sm text-primary underline">
          Back to the console
        </Link>
      </div>
    </main>
  );
}
