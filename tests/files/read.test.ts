/**
 * Reading files through the pipeline: the WebAssembly lane must read every path CSV exactly as the reader's own
 * route does (same partial, rows, skipped lines, reasons and line numbers), whatever the chunking of the bytes;
 * shards must add up to the whole file; bytes that are not UTF-8, lines longer than allowed and JSON lines that
 * repeat a key are errors naming the line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { accumulator, mergePartials } from '../../src/attribution/accumulate'
import { makeSettings } from '../../src/attribution/decode'
import type { AttributionPartial } from '../../src/attribution/model'
import { readSettings, type ReadSettings } from '../../src/attribution/read/settings'
import { readSources } from '../../src/files/read'
import { readShard } from '../../src/files/shards'
import { relativeError } from '../_close'
import { pieceBounds } from '../_cuts'
import { scaledRuns } from '../_runs'

const settings = E.getOrElseW(() => {
  throw new Error('settings')
})(makeSettings({}))
const rs = (o: Record<string, unknown> = {}): ReadSettings =>
  E.getOrElseW((e) => {
    throw new Error(JSON.stringify(e))
  })(readSettings({ onError: 'skip', ...o }))

/** The bytes cut into pieces at the given offsets (a character may be cut in two). */
const chunked = (bytes: Buffer, cuts: ReadonlyArray<number>): Array<Buffer> =>
  pieceBounds(bytes.length, cuts)
    .map(([from, to]) => bytes.subarray(from, to))
    .filter((b) => b.length > 0)

const read = async (s: ReadSettings, pieces: ReadonlyArray<Buffer>, lanes = true) => {
  const acc = accumulator(settings)
  const tally = await readSources(s, [{ path: 'test.csv', open: () => (async function* () { yield* pieces })() }], acc, { lanes })
  return { partial: acc.snapshot(), tally }
}

// Lines meant to hit every branch of both routes: plain lines, spaces around names, non-ASCII and astral names,
// quotes (a path with a comma inside, a quoted line spanning two lines, a stray quote), numbers the lane leaves to
// the decoders (exponents, signs, blanks, too many digits), bad lines (empty names, wrong widths).
// (The long ones share their first and last eight bytes, which is all the WebAssembly scanner hashes.)
const NAMES = ['search', 'email', 'direct', ' paid search', 'Suche ', 'é-mail', 'social 😀', 'a', 'display', 'affiliat', 'affiliate-partners', 'campaign-X-summer-2026', 'campaign-Y-summer-2026', 'campaign-XY-summer-2026']
const arbName = fc.constantFrom(...NAMES, '', '  ')
const arbSep = fc.constantFrom('>', ' > ', '>  ', ' >')
const arbPath = fc.tuple(fc.array(arbName, { minLength: 1, maxLength: 6 }), fc.array(arbSep, { minLength: 6, maxLength: 6 })).map(([names, seps]) => names.map((n, i) => (i === 0 ? n : `${seps[i]}${n}`)).join(''))
const arbNumber = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 1000 }).map(String) },
  { weight: 3, arbitrary: fc.double({ min: 0, max: 1e4, noNaN: true }).map((x) => x.toFixed(2)) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '1e2', '-1', 'x', '.5', '5.', ' 3', '0.1234567890123456', '12345678901234567', '0x10', 'Infinity') },
)
const arbLineWith = (multiLine: boolean) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.tuple(arbPath, arbNumber, arbNumber, arbNumber).map(([p, c, v, n]) => `${p},${c},${v},${n}`) },
    { weight: 1, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `"${p}, extra",${c},1,0`) },
    { weight: multiLine ? 1 : 0, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `"${p}\n> email",${c},1,0`) },
    { weight: multiLine ? 1 : 0, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `${p}",${c},1,0`) },
    { weight: 1, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `${p},${c},1`) },
    { weight: 1, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `${p},${c},1,0,9`) },
    { weight: 1, arbitrary: fc.constant('') },
  )
const HEADERS = ['path,total_conversions,total_conversion_value,total_null', '\ufeffpath,total_conversions,total_conversion_value,total_null']
const arbFileWith = (multiLine: boolean) =>
  fc.record({ header: fc.constantFrom(...HEADERS), lines: fc.array(arbLineWith(multiLine), { maxLength: 40 }), crlf: fc.boolean(), finalBreak: fc.boolean() }).map(({ header, lines, crlf, finalBreak }) => {
    const nl = crlf ? '\r\n' : '\n'
    return Buffer.from([header, ...lines].join(nl) + (finalBreak ? nl : ''), 'utf8')
  })
const arbFile = arbFileWith(true)
// A quoted field spanning lines (or a stray quote, which opens one) must not straddle a shard boundary: a shard
// cannot know it starts inside quotes. `--workers` reads such files again on one thread.
const arbShardableFile = arbFileWith(false)

describe('the WebAssembly lane reads path CSV as the reader\'s own route does', () => {
  test.prop([arbFile, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom('skip', 'fail')], { numRuns: scaledRuns(100) })(
    'same partial, rows, skipped lines, reasons and line numbers, whatever the chunking',
    async (bytes, cuts, onError) => {
      const general = await read(rs({ onError }), [bytes], false)
      expect(await read(rs({ onError }), chunked(bytes, cuts))).toEqual(general)
      expect(await read(rs({ onError }), chunked(bytes, cuts), false)).toEqual(general)
    },
  )

  it('the same on files chosen to corner the scanner', async () => {
    const header = 'path,total_conversions,total_conversion_value,total_null'
    const files: Array<[string, Record<string, unknown>]> = [
      // Long names equal in their first and last eight bytes; names of exactly 8 and 16 bytes.
      [[header, 'campaign-X-summer-2026>campaign-Y-summer-2026,1,2,3', 'campaign-Y-summer-2026>campaign-X-summer-2026,1,0,0', 'campaign-XY-summer-2026>abcdefgh,2,1.5,0', 'abcdefghabcdefgh>abcdefgh,1,1,1', 'campaign-Z-summer-2026>abcdefghabcdefgh,1,0,0'].join('\n'), {}],
      // A separator of several characters, CRLF line ends, a byte-order mark, blank lines.
      [`\ufeff${header}\r\nsearch -> email,1,2,3\r\n\r\nemail -> search -> email ->,1,2,3\r\nsearch->email,1,0,0\r\n`, { separator: '->' }],
      // More distinct names than the scanner's table holds (2048): the rest stay with the general route.
      [[header, ...Array.from({ length: 3000 }, (_, i) => `ch${i} > ch${(i * 7) % 3000},1,${i % 5},0`)].join('\n'), {}],
      // A quote in the last line, which has no line break.
      [[header, 'a > b,1,0,0', '"a > b",2,0,0'].join('\n'), {}],
      // Short names at the very end of the loaded bytes, learned there (the scanner once compared past them).
      [[header, 'ab,1,0,0', 'ab > cd,1,0,0', 'x,1,0,0'].join('\n'), {}],
      // A value on a row without conversions: a bad line on both routes (the scanner once took it as a row).
      [[header, 'search > email,0,5,0', 'search > email,1,2,0', 'email,0,0.5,3', 'email,0,0,0', 'email,2,1,0', 'email,0,0.5,3', 'email,1,1,0'].join('\n'), {}],
      // Lines longer than the scanner loads (1 MiB): joined once and read by the general route.
      [[header, `${Array.from({ length: 300_000 }, (_, i) => `c${i % 50}`).join(' > ')},1,0,0`, 'c1 > c2,1,0,0', `${Array.from({ length: 400_000 }, () => 'c3').join('>')},2,1,0`].join('\n'), {}],
    ]
    for (const [text, options] of files) {
      const bytes = Buffer.from(text, 'utf8')
      const general = await read(rs(options), [bytes], false)
      expect(general.tally.rows).toBeGreaterThan(0)
      if (text.includes(',0,5,0')) expect(general.tally.skipped).toBe(3)
      for (const cut of [1, 7, 4096, 65536, bytes.length]) {
        if (cut < 1000 && bytes.length > 100_000) continue
        const pieces = chunked(bytes, Array.from({ length: Math.ceil(bytes.length / cut) }, (_, k) => (k + 1) * cut))
        expect(await read(rs(options), pieces), `cut every ${cut}`).toEqual(general)
      }
    }
  })
})

describe('shards', () => {
  const dir = mkdtempSync(join(tmpdir(), 'touchpoint-shards-'))
  let count = 0
  test.prop([arbShardableFile, fc.integer({ min: 2, max: 4 })])('shards merged equal the whole file', async (bytes, n) => {
    const path = join(dir, `f${count++}.csv`)
    writeFileSync(path, bytes)
    const s = rs()
    const whole = await read(s, [bytes])
    const header = bytes.toString('utf8').split(/\r?\n/)[0]!.replace(/^\ufeff/, '').split(',')
    let merged: AttributionPartial = accumulator(settings).snapshot()
    let lines = 0
    let rows = 0
    let skipped = 0
    const bad: Array<{ line: number; message: string }> = []
    for (let i = 0; i < n; i++) {
      const start = Math.floor((bytes.length * i) / n)
      const end = Math.floor((bytes.length * (i + 1)) / n)
      const r = await readShard({ settings: s, reducer: { _tag: 'attribution', settings }, source: { path, header, range: { start, end } } })
      for (const b of r.tally.bad) bad.push({ line: b.line + lines, message: b.message })
      lines += r.tally.lines[0]!
      rows += r.tally.rows
      skipped += r.tally.skipped
      merged = E.getOrElseW(() => {
        throw new Error('merge')
      })(pipe(merged, mergePartials(r.partial as AttributionPartial)))
    }
    // Merging renumbers channels by first appearance across shards and adds sums in another order: compare the
    // credit sums by channel name, to rounding.
    const byName = (p: AttributionPartial) => new Map(p.channels.map((c, i) => [c, Object.values(p.rules).flatMap((x) => [x.conversions[i]!, x.value[i]!])]))
    const want = byName(whole.partial)
    const got = byName(merged)
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [c, sums] of want) sums.forEach((x, k) => expect(relativeError(got.get(c)![k]!, x), `${c} sum ${k}`).toBeLessThan(1e-12))
    expect(merged.totals.rows).toBe(whole.partial.totals.rows)
    expect(merged.totals.journeys).toBe(whole.partial.totals.journeys)
    expect({ rows, skipped, lines }).toEqual({ rows: whole.tally.rows, skipped: whole.tally.skipped, lines: whole.tally.lines[0] })
    expect(bad.slice(0, 5)).toEqual(whole.tally.bad.map(({ line, message }) => ({ line, message })))
  })
})

describe('bytes and lines', () => {
  const text = 'path,total_conversions\na > b,1\nc,2\n'
  it('bytes that are not UTF-8 stop the read on their line; replaced when asked, and counted', async () => {
    const bad = Buffer.concat([Buffer.from('path,total_conversions\na > b,1\nc'), Buffer.from([0xc3, 0x28]), Buffer.from(' > d,2\ne,1\n')])
    for (const lanes of [true, false]) {
      for (const cut of [1, 3, 29, bad.length]) {
        const pieces = chunked(bad, Array.from({ length: Math.ceil(bad.length / cut) }, (_, k) => (k + 1) * cut))
        const r = await read(rs({ onError: 'fail' }), pieces, lanes)
        expect(r.tally.failed).toBe(true)
        expect(r.tally.bad[0]).toMatchObject({ line: 3, message: '(input): expected UTF-8 text (--replace-invalid-utf8 reads such bytes as U+FFFD, counted), got "invalid UTF-8 (0xc3)"' })
        const replaced = await read(rs({ onError: 'fail', invalidUtf8: 'replace' }), pieces, lanes)
        expect(replaced.tally.failed).toBe(false)
        expect(replaced.tally.replacedUtf8).toBe(1)
        expect(replaced.partial.channels).toEqual(['a', 'b', 'c\ufffd(', 'd', 'e'])
      }
    }
    // A character cut between chunks is whole, on both routes.
    const astral = Buffer.from('path,total_conversions\n😀 > é,1\n', 'utf8')
    for (let cut = 1; cut < astral.length; cut++) {
      for (const lanes of [true, false]) expect((await read(rs(), chunked(astral, [cut]), lanes)).partial.channels).toEqual(['😀', 'é'])
    }
  })

  it('a line longer than maxLineLength is an error naming it, on both routes', async () => {
    const long = Buffer.from(`${text}${'x > '.repeat(100)}y,1\nz,1\n`)
    for (const lanes of [true, false]) {
      const r = await read(rs({ maxLineLength: 200 }), chunked(long, [10, 50, 300]), lanes)
      expect(r.tally.failed).toBe(true)
      expect(r.tally.bad[0]).toMatchObject({ line: 4 })
      expect(r.tally.bad[0]!.message).toContain('a line of at most 200 characters')
    }
  })

  it('JSON lines: a key given twice is a bad line, named; kind told from a first record of any size', async () => {
    const first = JSON.stringify({ path: Array.from({ length: 20_000 }, (_, i) => `c${i % 9}`).join(' > '), total_conversions: 1 })
    expect(first.length).toBeGreaterThan(65_536)
    const jsonl = Buffer.from(`${first}\n{"path":"a","total_conversions":1,"total_conversions":5}\n{"path":"b","total_conversions":2}\n`)
    const r = await read(rs({ format: 'jsonl' }), chunked(jsonl, [1000, 70_000]))
    expect(r.tally.kind).toBe('paths')
    expect(r.tally.rows).toBe(2)
    expect(r.tally.bad).toEqual([expect.objectContaining({ line: 2, message: 'column 35: total_conversions: expected each key once (this one is also at column 13), got "total_conversions"' })])
  })
})
