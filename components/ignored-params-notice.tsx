/**
 * Names the parts of a screen's address it could not read (a hand-edited or broken link): the screen shows their
 * defaults instead, and says so, rather than failing or silently showing something else than asked for.
 */
export function IgnoredParamsNotice({ names }: { names: readonly string[] }) {
  if (names.length === 0) return null;
  return (
    <p
      role="status"
      data-testid="ignored-params"
      className="rounded-md bg-amber-100 p-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
    >
      Part of this address could not be read and was ignored: {names.map((name) => `“${name}”`).join(", ")}. The screen
      shows {names.length === 1 ? "its default" : "their defaults"} instead.
    </p>
  );
}
