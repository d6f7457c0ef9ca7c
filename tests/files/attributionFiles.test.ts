/**
 * `readAttributionFiles` (touchpoint/node): the CLI's reader for scripts. It must reduce files to the partial the
 * typed API gives for the same journeys, give the CLI's numbers, carry events across files, and turn every
 * mistake into a `Left` that names the file, the line, the field and the value.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { reduceJourneys } from '../../src/attribution/accumulate'
import { attribute } from '../../src/attribution/attribute'
import { makeSettings } from '../../src/attribution/decode'
import { DEFAULT_SETTINGS, type Journey } from '../../src/attribution/model'
import { formatAttribution } from '../../src/attribution/table'
import { formatError } from '../../src/core/errors'
import { readAttributionFiles, type AttributionFilesOptions, type AttributionFilesRead } from '../../src/adapters/node'
import { cli } from '../_cli'
import { pieceBounds } from '../_cuts'

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-files-'))
let counter = 0
const file = (text: string, ext = 'csv'): string => {
  const p = join(dir, `f${counter++}.${ext}`)
  writeFileSync(p, text)
  return p
}

const fileBytes = (bytes: Buffer, ext: string): string => {
  const p = join(dir, `f${counter++}.${ext}`)
  writeFileSync(p, bytes)
  return p
}

const read = async (files: ReadonlyArray<string>, options: AttributionFilesOptions = {}): Promise<AttributionFilesRead> => {
  const r = await readAttributionFiles(options)(files)
  if (E.isLeft(r)) throw new Error(formatError(r.left))
  return r.right
}
const failure = async (files: ReadonlyArray<string>, options: AttributionFilesOptions = {}): Promise<string> => {
  const r = await readAttributionFiles(options)(files)
  if (E.isRight(r)) throw new Error('expected a Left')
  return formatError(r.left)
}

const CHANNELS = ['search', 'email', 'direct', 'social', 'display', 'store', 'é-mail', 'video 😀']
const arbJourney: fc.Arbitrary<Journey> = fc.record({
  channels: fc.array(fc.constantFrom(...CHANNELS), { minLength: 1, maxLength: 8 }),
  conversions: fc.integer({ min: 0, max: 5 }),
  // Cents, so the text written reads back as exactly the number the typed API gets.
  value: fc.integer({ min: 0, max: 100_000 }).map((c) => Number((c / 100).toFixed(2))),
  nulls: fc.integer({ min: 0, max: 9 }),
}).map((j) => (j.conversions === 0 ? { ...j, value: 0 } : j)) // a value needs conversions on its row (else a bad line)
const pathLine = (j: Journey) => `${j.channels.join(' > ')},${j.conversions},${j.value.toFixed(2)},${j.nulls}`
const PATH_HEADER = 'path,total_conversions,total_conversion_value,total_null'

describe('readAttributionFiles', () => {
  test.prop([fc.array(arbJourney, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 3 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })], { numRuns: 60 })(
    'path files, cut into any number of files, some gzip, reduce to the partial the typed API gives for the same journeys',
    async (journeys, cuts, order, gzipped) => {
      const settings = E.getOrElseW(() => DEFAULT_SETTINGS)(makeSettings({ order }))
      const pieces = pieceBounds(journeys.length, cuts).map(([from, to]) => journeys.slice(from, to))
      const files = pieces.map((p, i) => {
        const text = [PATH_HEADER, ...p.map(pathLine)].join('\n') + '\n'
        return gzipped[i] === true ? fileBytes(gzipSync(text), 'csv.gz') : file(text)
      })
      const got = await read(files, { settings: { order } })
      const want = pipe(journeys, reduceJourneys(settings))
      expect(E.isRight(want)).toBe(true)
      expect(got.partial).toEqual(E.isRight(want) ? want.right : undefined)
      expect(got.rows).toBe(journeys.length)
      expect(got.kind).toBe('paths')
    },
  )

  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 40 }), fc.constantFrom(...CHANNELS), fc.boolean()), { minLength: 1, maxLength: 50 }), fc.nat()], { numRuns: 40 })(
    'events: a user whose touches go on in the next file is one user (a split file reads as the whole)',
    async (touches, cut) => {
      const lines = touches
        .map(([user, minute, channel, converted], i) => ({ user, time: Date.UTC(2026, 9, 1, 0, minute, i % 60), channel, converted }))
        .sort((a, b) => a.user - b.user || a.time - b.time)
        .map((t) => `u${t.user},${new Date(t.time).toISOString()},${t.channel},${t.converted ? 1 : 0},${t.converted ? '10.50' : ''}`)
      const header = 'user_id,timestamp,channel,conversion,conversion_value'
      const k = cut % (lines.length + 1)
      const whole = await read([file([header, ...lines].join('\n'))], { grouped: true })
      const split = await read([file([header, ...lines.slice(0, k)].join('\n')), file([header, ...lines.slice(k)].join('\n'))], { grouped: true })
      expect(split.partial).toEqual(whole.partial)
      expect(split.kind).toBe('events')
    },
  )

  it('gives the numbers `touchpoint attribute` prints, for the shipped paths and events', async () => {
    for (const [path, models, extra] of [
      ['examples/paths.csv', ['first', 'last', 'linear', 'position', 'markov', 'shapley'], { order: 2 }],
      ['examples/events.csv', ['last', 'time_decay', 'markov'], { lookback: 30 * 86_400_000 }],
    ] as const) {
      const command = ['attribute', path, '--models', models.join(','), '--format', 'json', '-q', ...('order' in extra ? ['--order', '2'] : ['--lookback', '30d'])]
      const printed = await cli(command)
      expect(printed.code).toBe(0)
      const r = await read([path], 'order' in extra ? { settings: { order: extra.order } } : { lookbackMs: extra.lookback })
      const credits = pipe(r.partial, attribute({ models }), E.map(formatAttribution('json')))
      expect(credits).toEqual(E.right(printed.stdout))
    }
  })

  it.skipIf(!existsSync('dist/node.js') && process.env['CI'] !== 'true')('examples/attribute-files.ts prints what `touchpoint attribute` prints, and exits 1 on a missing file', async () => {
    const tsx = join('node_modules', '.bin', 'tsx')
    const script = spawnSync(tsx, ['examples/attribute-files.ts'], { encoding: 'utf8', timeout: 60_000 })
    expect(script.status).toBe(0)
    expect(script.stderr).toContain('400 rows read, 0 bad lines skipped')
    const printed = await cli(['attribute', 'examples/paths.csv', '--models', 'first,last,linear,markov,shapley', '--order', '2', '--format', 'markdown', '-q'])
    expect(script.stdout).toBe(printed.stdout)
    const missing = spawnSync(tsx, ['examples/attribute-files.ts', join(dir, 'missing.csv')], { encoding: 'utf8', timeout: 60_000 })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('expected a readable file')
  })

  it('a bad line is a Left with the file, line, field and value; with onError skip it is counted and kept', async () => {
    const p = file(`${PATH_HEADER}\na > b,1,0,0\nb,x,2,0\nc,-1,0,0\nd,1,0,0\n`)
    expect(await failure([p])).toBe(`${p}:line 3: total_conversions: expected a number >= 0, got "x"`)
    const r = await read([p], { onError: 'skip', maxReasons: 1 })
    expect(r.rows).toBe(2)
    expect(r.skipped).toBe(2)
    expect(r.skippedLines).toEqual([{ file: p, line: 3, message: 'total_conversions: expected a number >= 0, got "x"' }])
    const quote = file(`${PATH_HEADER}\na > b,1,0,0\na "b",1,0,0\n`)
    expect(await failure([quote])).toContain(`${quote}:line 3: (input): expected a well-formed CSV record, got "a quote inside an unquoted field`)
  })

  it('a value on an event row that is no conversion: refused under the marker (file:line, column, value), the event\'s own value under conversion events', async () => {
    const marker = file('user_id,timestamp,channel,conversion,conversion_value\nu,2026-01-01T00:00:00Z,a,0,\nu,2026-01-01T01:00:00Z,b,0,25\nu,2026-01-01T02:00:00Z,,1,10\n')
    const why = 'conversion_value: expected 0 or an empty cell where conversion marks no conversion (a conversion value needs a conversion on the same row), got "25"'
    expect(await failure([marker])).toBe(`${marker}:line 3: ${why}`)
    const skipped = await read([marker], { onError: 'skip' })
    expect(skipped.skippedLines).toEqual([{ file: marker, line: 3, message: why }])
    expect(skipped.partial.totals).toMatchObject({ conversions: 1, value: 10 })
    const jsonl = file('{"user_id":"u","timestamp":1,"channel":"a","conversion":false,"conversion_value":2.5}\n', 'jsonl')
    expect(await failure([jsonl])).toBe(`${jsonl}:line 1: conversion_value: expected 0 or an empty cell where conversion marks no conversion (a conversion value needs a conversion on the same row), got 2.5`)
    // A marker that is none is the problem named, not the value beside it.
    const badMarker = file('user_id,timestamp,channel,conversion,conversion_value\nu,2026-01-01T00:00:00Z,a,maybe,25\n')
    expect(await failure([badMarker])).not.toContain('conversion value needs')
    // GA4-style: add_to_cart carries its own value; only the purchase's value is a conversion value.
    const named = file('user_id,timestamp,channel,event_name,conversion_value\nu,2026-01-01T00:00:00Z,a,add_to_cart,25\nu,2026-01-01T01:00:00Z,b,purchase,10\n')
    const r = await read([named], { conversionEvents: ['purchase'] })
    expect(r.partial.totals).toMatchObject({ rows: 2, conversions: 1, value: 10 })
  })

  it('names what it cannot read: a missing file, a directory, an unknown header, mixed kinds, a missing column', async () => {
    const missing = join(dir, 'nope.csv')
    expect(await failure([missing])).toMatch(new RegExp(`^${missing}: \\(input\\): expected a readable file, got ".*ENOENT`))
    expect(await failure([dir])).toContain('expected a readable file, got "not a regular file"')
    const unknown = file('id,when,what\n1,2,3\n')
    expect(await failure([unknown])).toBe(`${unknown}:line 1: header: expected a "path" column (paths) or "user_id" and "timestamp" columns (events), got "id,when,what"`)
    const paths = file(`${PATH_HEADER}\na,1,0,0\n`)
    const events = file('user_id,timestamp,channel,conversion\nu,2026-01-01T00:00:00Z,a,1\n')
    expect(await failure([paths, events])).toBe(`${events}: kind: expected paths, like ${paths}: give paths and events separately, got "events"`)
    const noConversions = file('path,total_null\na,1\n')
    expect(await failure([noConversions])).toContain(`${noConversions}:line 1: header: expected a column named "total_conversions"`)
    expect(await failure([])).toContain('files: expected a non-empty array of file paths')
  })

  it('checks its options, naming each field, before touching a file', async () => {
    const text = await failure([join(dir, 'never-read.csv')], {
      delimiter: ';;',
      separator: '',
      settings: { order: 7 },
      timeUnit: 'h' as 'ms',
      onError: 'ignore' as 'skip',
      maxReasons: -1,
      pathColumns: { path: ' ' },
      lookbackMs: Number.NaN,
    })
    for (const field of ['settings.order', 'delimiter', 'separator', 'timeUnit', 'onError', 'maxReasons', 'pathColumns.path', 'lookbackMs']) expect(text).toContain(`${field}: expected`)
    expect(text).not.toContain('never-read.csv')
    // Plain JavaScript may pass null for the options: the defaults apply.
    const r = await readAttributionFiles(null as unknown as AttributionFilesOptions)(['examples/paths.csv'])
    expect(E.isRight(r) && r.right.rows).toBe(400)
  })

  it('reads JSON lines, renamed columns, another delimiter and separator, and reports progress', async () => {
    const jsonl = file(['{"path":"a > b","total_conversions":2,"total_conversion_value":3,"total_null":1}', '{"path":"b","total_conversions":1}'].join('\n'), 'jsonl')
    const semi = file('journey;conv;val\na | b;2;3\nb;1;0\n', 'txt')
    const a = await read([jsonl])
    const b = await read([semi], { delimiter: ';', separator: '|', pathColumns: { path: 'journey', conversions: 'conv', value: 'val' } })
    expect(b.partial.channels).toEqual(a.partial.channels)
    expect(b.partial.totals.conversions).toBe(3)
    expect(pipe(b.partial, attribute({ models: ['last'] }), E.map((x) => x.channels.map((c) => c.credits.last?.conversions)))).toEqual(E.right([0, 3]))
    const seen: Array<number> = []
    const big = file([PATH_HEADER, ...Array.from({ length: 70_000 }, (_, i) => `c${i % 7} > c${i % 3},1,0,0`)].join('\n'))
    expect((await read([big], { onProgress: (n) => seen.push(n) })).rows).toBe(70_000)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((n) => n > 0 && n <= 70_000)).toBe(true)
  })
})
