/**
 * Links from the README to the docs, made to resolve on the registry page. npmjs.com renders the README of the
 * published version and rewrites relative links only against a GitHub `repository` (to its HEAD, not to that
 * version); this package names no repository, so a relative `docs/stats.md` would lead nowhere there. The docs are
 * shipped in the package (`files` in package.json) and the README links to them on jsDelivr, which serves every
 * file of every published version: `https://cdn.jsdelivr.net/npm/touchpoint@<version>/docs/stats.md`, the docs
 * of exactly the version being read. `npm run docs` writes these links for the version in package.json.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './snippets'

export const packageVersion = (): string => (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
export const packageName = (): string => (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }).name

export const CDN = 'https://cdn.jsdelivr.net/npm/'

/** Every Markdown link and image target, with its line. */
export const linkTargets = (text: string): Array<{ readonly target: string; readonly line: number }> =>
  text.split('\n').flatMap((l, i) => [...l.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => ({ target: m[1]!, line: i + 1 })))

/** The README with its links to docs/ (relative, or to another version) pointing at this version's shipped copy. */
export const packageLinks = (text: string, version: string, name = packageName()): string => {
  const base = `${CDN}${name}@`
  return text.replace(/(!?\[[^\]]*\]\()(?:\.\/)?(?:https:\/\/cdn\.jsdelivr\.net\/npm\/[^@/]+@[^/]+\/)?(docs\/[^)\s]+)/g, (_, open: string, path: string) => `${open}${base}${version}/${path}`)
}
