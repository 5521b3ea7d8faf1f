/**
 * Imported first by scripts/run-server.ts. glibc's malloc gives threads that allocate at the same time arenas of their
 * own, up to 8 per core, and what an arena frees mostly stays resident. A production start on Linux caps them at 2
 * (`MALLOC_ARENA_MAX=2`): 35–55 MB less resident memory on PGlite, a little on PostgreSQL (decision 0083). glibc
 * reads the variable once, as the process starts, so the process replaces itself with one that has it set:
 * `process.execve`, the same pid, arguments and Node flags. A MALLOC_ARENA_MAX already set is kept, and so is a Node
 * without `process.execve` (before 22.15) or a failed exec: the console then runs as it was started.
 */
const replaceable = process as NodeJS.Process & {
  execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never;
};

if (
  process.argv[2] === "start" &&
  process.platform === "linux" &&
  process.env.MALLOC_ARENA_MAX === undefined &&
  typeof replaceable.execve === "function"
) {
  try {
    replaceable.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      ...process.env,
      MALLOC_ARENA_MAX: "2",
    });
  } catch (error) {
    console.warn(`Could not restart with MALLOC_ARENA_MAX=2 (${(error as Error).message}); running without it.`);
  }
}

export {};
