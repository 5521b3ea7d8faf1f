import * as React from "react";

/** The required "I understand" box of a costly or irreversible action; the server checks `confirm=yes` again. */
export function ConfirmCheck({ children }: { children: React.ReactNode }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" name="confirm" value="yes" required />
      {children}
    </label>
  );
}
