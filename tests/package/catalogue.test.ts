/**
 * The surface suite's catalogue (tests/package/surface/) against the package, in seconds rather than the suite's
 * minutes: every export of every entry in package.json's `exports` (read from package.json, so a new entry is
 * covered when it is added) is a value listed in NOT_CALLED, a codec listed in CODECS, or a function with plausible
 * arguments (plausible.ts) or a reason to have none (JUNK_ONLY); and nothing the catalogue names is gone from the
 * package (a stale entry would excuse an export of the same name added later).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import tsup from '../../tsup.config'
import { CODECS, JUNK_ONLY, KNOWN_ENTRY_FAILURES, KNOWN_STATS_FAILURES, NOT_CALLED } from './surface/catalogue'
import { LAYERED_CONFIG, makeFixtures, type Fixtures, type FuzzFiles, type Lib } from './surface/fixtures'
import { startFakeServers, type FakeServers } from './surface/logs'
import { specsFor } from './surface/plausible'

const root = fileURLToPath(new URL('../..', import.meta.url))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { readonly exports: Readonly<Record<string, { readonly import?: { readonly default?: string } }>> }
const configs = [tsup].flat() as unknown as ReadonlyArray<{ readonly entry?: Readonly<Record<string, string>> }>

/** Each entry of package.json's exports: its name as a caller imports it, and the source tsup builds it from. */
const entries = Object.entries(pkg.exports)
  .filter(([subpath]) => subpath !== './package.json')
  .map(([subpath, spec]) => {
    const dist = spec.import?.default ?? ''
    const name = dist.replace(/^\.\/dist\//, '').replace(/\.js$/, '')
    const source = configs.map((c) => c.entry?.[name]).find((e) => e !== undefined)
    return { entry: subpath === '.' ? 'touchpoint' : `touchpoint${subpath.slice(1)}`, dist, source }
  })

const load = (source: string): Promise<Lib> => import(/* @vite-ignore */ pathToFileURL(join(root, source)).href)

let lib: Lib
let fx: Fixtures
let servers: FakeServers
let dir: string
const modules = new Map<string, Lib>()

beforeAll(async () => {
  for (const e of entries) if (e.source !== undefined) modules.set(e.entry, await load(e.source))
  // As the surface suite builds its fixtures: the later entries win where two export one name.
  lib = {}
  for (const entry of ['touchpoint/experiments', 'touchpoint/sql', 'touchpoint/engines', 'touchpoint', 'touchpoint/report', 'touchpoint/node']) Object.assign(lib, modules.get(entry))
  dir = mkdtempSync(join(tmpdir(), 'touchpoint-catalogue-'))
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name))
  const files: FuzzFiles = {
    dir,
    config: write('config.json', JSON.stringify(LAYERED_CONFIG)),
    compiledConfig: write('compiled.json', JSON.stringify(lib.compileConfig(LAYERED_CONFIG).right)),
    badConfig: write('bad.json', '{}'),
    paths: write('paths.csv', 'path,total_conversions\na,1\n'),
    events: write('events.csv', 'user_id,timestamp,channel,conversion\nu1,2024-01-01T00:00:00Z,search,1\n'),
    pathsJsonl: write('paths.jsonl', '{"path":"a","total_conversions":1}\n'),
    empty: write('empty.csv', ''),
    missing: join(dir, 'no-such-file.csv'),
  }
  fx = await makeFixtures(lib, files)
  servers = await startFakeServers()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const isCodec = (v: unknown) => v !== null && typeof v === 'object' && typeof (v as { readonly decode?: unknown }).decode === 'function'

describe('the surface catalogue covers the package', () => {
  it('every entry in package.json exports is built by tsup', () => {
    expect(entries.filter((e) => e.source === undefined).map((e) => e.dist)).toEqual([])
  })

  it.each(entries.map((e) => [e.entry] as const))('%s: every export is called (plausibly, or with a reason) or listed as a value', (entry) => {
    const mod = modules.get(entry)!
    const specs = specsFor(lib, fx, mod, servers)
    const names = Object.keys(mod)
    expect(names.length, 'an entry with no exports').toBeGreaterThan(0)
    const missing = names.flatMap((name) => {
      const v = mod[name]
      if (CODECS.includes(name)) return isCodec(v) ? [] : [`${name}: in CODECS but no codec`]
      if (typeof v === 'function') return specs[name] !== undefined || JUNK_ONLY[name] !== undefined ? [] : [`${name}: a function without a spec in plausible.ts (or a reason in JUNK_ONLY)`]
      return NOT_CALLED[name] !== undefined ? [] : [`${name}: a value neither in NOT_CALLED nor in CODECS`]
    })
    expect(missing).toEqual([])
  })

  it('nothing the catalogue names is gone from the package', () => {
    const exported = new Set([...modules.values()].flatMap((m) => Object.keys(m)))
    const named = [
      ...Object.keys(NOT_CALLED).map((n) => ['NOT_CALLED', n]),
      ...CODECS.map((n) => ['CODECS', n]),
      ...Object.keys(JUNK_ONLY).map((n) => ['JUNK_ONLY', n]),
      ...[...KNOWN_STATS_FAILURES, ...KNOWN_ENTRY_FAILURES].map((k) => ['KNOWN failures', k.export]),
    ]
    expect(named.filter(([, n]) => !exported.has(n!)).map(([list, n]) => `${list}: ${n}`)).toEqual([])
  })

  it('a function is either junk-only or has a spec, not both', () => {
    const specs = specsFor(lib, fx, modules.get('touchpoint/experiments'), servers)
    expect(Object.keys(JUNK_ONLY).filter((n) => specs[n] !== undefined)).toEqual([])
  })
})
