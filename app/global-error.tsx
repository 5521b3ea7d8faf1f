"use client";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: 32 }}>
        <h1>The console could not be shown</h1>
        <p>Something went wrong on our side. Reference: {error.digest ?? "unknown"}</p>
        <button onClick={reset}>Try again</button>
      </body>
    </html>
  );
}
