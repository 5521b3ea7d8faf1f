"use client";
import { Button } from "@/components/ui/button";

// Shows the digest (matches the server log line), never the stack or message.
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="max-w-lg rounded-lg border border-border p-6">
      <h1 className="text-lg font-semibold">This screen could not be shown</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        Something went wrong on our side. Try again; if it keeps happening, give this reference to your admin:{" "}
        <code>{error.digest ?? "unknown"}</code>
      </p>
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
