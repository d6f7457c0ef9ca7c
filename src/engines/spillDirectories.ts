/**
 * Where the embedded DuckDB spills: a directory of its own under the system's temporary directory (or a parent
 * the caller names: the CLI's `--temp-directory`), made when the engine opens and removed when it closes, or by the CLI's signal handler. DuckDB's own default for an in-memory
 * database is `.tmp` under the working directory, which a user would find left behind in their project (and
 * `git add -A` would pick up).
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const live = new Set<string>()

/** A new, empty spill directory under `parent`, registered until `removeSpillDirectory`. Throws what mkdtemp throws. */
export const makeSpillDirectory = (parent: string = tmpdir()): string => {
  const dir = mkdtempSync(join(parent, 'touchpoint-duckdb-'))
  live.add(dir)
  return dir
}

/** Remove one spill directory and what DuckDB left in it. Never throws. */
export const removeSpillDirectory = (dir: string): void => {
  live.delete(dir)
  try {
    rmSync(dir, { recursive: true, force: true })
  } catch {
    // already gone, or not ours to remove any more
  }
}

/** Remove every spill directory this process made. Synchronous, for signal handlers; never throws. */
export const removeSpillDirectories = (): void => {
  for (const dir of [...live]) removeSpillDirectory(dir)
}
