/**
 * File patterns, for inputs named as a warehouse exports them (`exports/events_*.csv.gz`, `exports/**\/*.jsonl`)
 * when no shell has expanded them (a quoted argument, a script): `*` and `?` within a path segment (not matching a
 * leading dot), `[abc]`/`[a-z]` classes, `**` for any number of directories. Matches come sorted, so the same
 * files are read in the same order everywhere. A path with none of these characters is taken as it is.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** Whether a path holds glob syntax. */
export const isPattern = (path: string): boolean => /[*?[]/.test(path)

const isClass = (cls: string): boolean => {
  try {
    return RegExp(cls) instanceof RegExp
  } catch {
    return false
  }
}

const segmentRegex = (segment: string): RegExp => {
  let re = ''
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1)
      if (close < 0) re += '\\['
      else {
        const body = segment.slice(i + 1, close).replace(/\\/g, '\\\\')
        const cls = `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`
        // A class no regular expression takes ([z-a], a range out of order) is no class: its '[' is a character.
        if (isClass(cls)) {
          re += cls
          i = close
        } else re += '\\['
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

const entries = async (dir: string): Promise<Array<{ readonly name: string; readonly isDir: boolean }>> => {
  try {
    const list = await readdir(dir === '' ? '.' : dir, { withFileTypes: true })
    return list.map((d) => ({ name: d.name, isDir: d.isDirectory() }))
  } catch {
    return []
  }
}

/** The files matching a pattern, sorted. */
export const expandPattern = async (pattern: string): Promise<ReadonlyArray<string>> => {
  const absolute = pattern.startsWith('/')
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0)
  if (absolute) segments.shift()
  const out = new Set<string>()
  const walk = async (dir: string, rest: ReadonlyArray<string>): Promise<void> => {
    if (rest.length === 0) {
      if (dir !== '' && (await stat(dir).catch(() => undefined))?.isFile() === true) out.add(dir)
      return
    }
    const [head, ...tail] = rest
    const at = (name: string) => (dir === '' ? (absolute ? `/${name}` : name) : join(dir, name))
    if (head === '**') {
      await walk(dir, tail)
      for (const e of await entries(dir === '' && absolute ? '/' : dir)) if (e.isDir && !e.name.startsWith('.')) await walk(at(e.name), rest)
      return
    }
    if (!isPattern(head!)) {
      await walk(at(head!), tail)
      return
    }
    const re = segmentRegex(head!)
    for (const e of await entries(dir === '' && absolute ? '/' : dir)) {
      if (e.name.startsWith('.') && !head!.startsWith('.')) continue
      if (re.test(e.name)) await walk(at(e.name), tail)
    }
  }
  await walk('', segments)
  return [...out].sort()
}
