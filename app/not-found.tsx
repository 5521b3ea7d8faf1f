import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="max-w-md rounded-lg border border-border p-6">
        <p className="text-sm font-semibold text-muted-foreground">404</p>
        <h1 className="text-lg font-semibold">Page not found</h1>
        <p className="mt-2 text-sm text-muted-foreground">The address may be mistyped, or the page has moved.</p>
        <Link href="/" className="mt-4 inline-block text-sm text-primary underline">
          Back to the console
        </Link>
      </div>
    </main>
  );
}
