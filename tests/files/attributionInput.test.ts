/**
 * The path reader's two routes and its framing: the byte-free fast lane (src/attribution/plainPathLine.ts) must
 * read every file exactly as the io-ts decoders do (same partial, rows, skipped lines, reasons and line numbers),
 * whatever the chunking of the input, and shards must add up to the whole file.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { accumulator, mergePartials } from '../../src/attribution/accumulate'
import { eventLayout, makeSettings, pathLayout } from '../../src/attribution/decode'
import { plainEventLine } from '../../src/attribution/plainEventLine'
import type { AttributionPartial } from '../../src/attribution/model'
import { plainPathLine } from '../../src/attribution/plainPathLine'
import { relativeError } from '../_close'
import { pieceBounds } from '../_cuts'
import { DEFAULT_READ_OPTIONS, eachLine, readInput, readSpecOf, type ReadResult, type ReadSpec } from '../../src/files/attributionInput'

const settings = E.getOrElseW(() => {
  throw new Error('settings')
})(makeSettings({}))

const spec = (overrides: Partial<ReadSpec> = {}): ReadSpec => ({
  ...readSpecOf('test.csv', 'csv', 'paths', settings, { ...DEFAULT_READ_OPTIONS, grouped: true, onError: 'skip' }),
  ...overrides,
})

/** The bytes cut into pieces at the given offsets (a character may be cut in two). */
const chunked = (bytes: Buffer, cuts: ReadonlyArray<number>): Array<Buffer> =>
  pieceBounds(bytes.length, cuts)
    .map(([from, to]) => bytes.subarray(from, to))
    .filter((b) => b.length > 0)

const read = (s: ReadSpec, pieces: ReadonlyArray<Buffer>): Promise<ReadResult> =>
  readInput(s, () =>
    (async function* () {
      yield* pieces
    })(),
  )

// Lines meant to hit every branch of both routes: plain lines, spaces around names, non-ASCII and astral names,
// quotes (a path with a comma inside, a quoted line spanning two lines, a stray quote), numbers the fast lane
// leaves to the decoders (exponents, signs, blanks, too many digits), bad lines (empty names, wrong widths).
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
const arbLineWith = (multiLine: boolean) => fc.oneof(
  { weight: 12, arbitrary: fc.tuple(arbPath, arbNumber, arbNumber, arbNumber).map(([p, c, v, n]) => `${p},${c},${v},${n}`) },
  { weight: 1, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `"${p}, extra",${c},1,0`) },
  { weight: multiLine ? 1 : 0, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `"${p}\n> email",${c},1,0`) },
  { weight: multiLine ? 1 : 0, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `${p}",${c},1,0`) },
  { weight: 1, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `${p},${c},1`) },
  { weight: 1, arbitrary: fc.tuple(arbPath, arbNumber).map(([p, c]) => `${p},${c},1,0,9`) },
  { weight: 1, arbitrary: fc.constant('') },
)
const HEADERS = ['path,total_conversions,total_conversion_value,total_null', '\ufeffpath,total_conversions,total_conversion_value,total_null']
const arbFileWith = (multiLine: boolean) => fc
  .record({ header: fc.constantFrom(...HEADERS), lines: fc.array(arbLineWith(multiLine), { maxLength: 40 }), crlf: fc.boolean(), finalBreak: fc.boolean() })
  .map(({ header, lines, crlf, finalBreak }) => {
    const nl = crlf ? '\r\n' : '\n'
    return Buffer.from([header, ...lines].join(nl) + (finalBreak ? nl : ''), 'utf8')
  })
const arbFile = arbFileWith(true)
// A quoted field spanning lines (or a stray quote, which opens one) must not straddle a shard boundary: a shard
// cannot know it starts inside quotes. `--workers` documents this.
const arbShardableFile = arbFileWith(false)

describe('the fast lanes (WebAssembly and JS) read as the decoders do', () => {
  test.prop([arbFile, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom('skip', 'fail') as fc.Arbitrary<'skip' | 'fail'>])(
    'same partial, rows, skipped lines, reasons and line numbers, whatever the chunking',
    async (bytes, cuts, onError) => {
      const decoders = await read(spec({ onError, lane: 'decoders' }), [bytes])
      expect(await read(spec({ onError, lane: 'wasm' }), chunked(bytes, cuts))).toEqual(decoders)
      expect(await read(spec({ onError, lane: 'js' }), chunked(bytes, cuts))).toEqual(decoders)
    },
  )

  it('the same on files chosen to corner the WebAssembly scanner', async () => {
    const header = 'path,total_conversions,total_conversion_value,total_null'
    const files: Array<[string, Partial<ReadSpec>]> = [
      // Long names equal in their first and last eight bytes; names of exactly 8 and 16 bytes.
      [[header, 'campaign-X-summer-2026>campaign-Y-summer-2026,1,2,3', 'campaign-Y-summer-2026>campaign-X-summer-2026,1,0,0', 'campaign-XY-summer-2026>abcdefgh,2,1.5,0', 'abcdefghabcdefgh>abcdefgh,1,1,1', 'campaign-Z-summer-2026>abcdefghabcdefgh,1,0,0'].join('\n'), {}],
      // A separator of several characters, CRLF line ends, a byte-order mark, blank lines.
      [`\ufeff${header}\r\nsearch -> email,1,2,3\r\n\r\nemail -> search -> email ->,1,2,3\r\nsearch->email,1,0,0\r\n`, { separator: '->' }],
      // More distinct names than the scanner's table holds (2048): the rest stay with the decoders.
      [[header, ...Array.from({ length: 3000 }, (_, i) => `ch${i} > ch${(i * 7) % 3000},1,${i % 5},0`)].join('\n'), {}],
      // A quote in the last line, which has no line break.
      [[header, 'a > b,1,0,0', '"a > b",2,0,0'].join('\n'), {}],
    ]
    for (const [text, options] of files) {
      const bytes = Buffer.from(text, 'utf8')
      const decoders = await read(spec({ ...options, lane: 'decoders' }), [bytes])
      for (const cut of [1, 7, 4096, bytes.length]) {
        const pieces = chunked(bytes, Array.from({ length: Math.ceil(bytes.length / cut) }, (_, k) => (k + 1) * cut))
        expect(await read(spec({ ...options, lane: 'wasm' }), pieces), `cut every ${cut}`).toEqual(decoders)
      }
    }
  })

  test.prop([arbShardableFile, fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { maxLength: 4 })])('shards merged equal the whole file', async (bytes, n, cuts) => {
    const whole = await read(spec(), [bytes])
    const header = bytes.toString('utf8').split(/\r?\n/)[0]!.replace(/^\ufeff/, '').split(',')
    let merged: AttributionPartial = accumulator(settings).snapshot()
    let lines = 0
    let rows = 0
    let skipped = 0
    const bad: Array<{ line: number; message: string }> = []
    for (let i = 0; i < n; i++) {
      const start = Math.floor((bytes.length * i) / n)
      const end = Math.floor((bytes.length * (i + 1)) / n)
      const from = start === 0 ? 0 : start - 1
      const r = await read(spec({ header, start, end }), chunked(bytes.subarray(from), cuts))
      for (const b of r.bad) bad.push({ line: b.line + lines, message: b.message })
      lines += r.lines
      rows += r.rows
      skipped += r.skipped
      merged = E.getOrElseW(() => {
        throw new Error('merge')
      })(pipe(merged, mergePartials(r.partial)))
    }
    // Merging renumbers channels by first appearance across shards and adds sums in another order: compare the
    // credit sums by channel name, to rounding.
    const byName = (p: AttributionPartial) => new Map(p.channels.map((c, i) => [c, Object.values(p.rules).flatMap((s) => [s.conversions[i]!, s.value[i]!])]))
    const want = byName(whole.partial)
    const got = byName(merged)
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [c, sums] of want) sums.forEach((x, k) => expect(relativeError(got.get(c)![k]!, x), `${c} sum ${k}`).toBeLessThan(1e-12))
    expect(merged.totals.rows).toBe(whole.partial.totals.rows)
    expect(merged.totals.journeys).toBe(whole.partial.totals.journeys)
    expect({ rows, skipped, lines }).toEqual({ rows: whole.rows, skipped: whole.skipped, lines: whole.lines })
    expect(bad.slice(0, 5)).toEqual(whole.bad.map(({ line, message }) => ({ line, message })))
  })
})

// Event lines meant to hit every branch of the event lane: plain rows, and cells it must leave to the decoders
// (spaces around ids and channels, quotes, other conversion spellings, other time shapes and impossible dates,
// numbers in other notations, empty channels with and without a conversion, wrong widths, out-of-order times).
const arbUser = fc.constantFrom('u1', 'u2', 'u3', 'ü4', ' u1', 'u2 ', '', '42')
const arbTime = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }).map((m) => new Date(Date.UTC(2026, 8, 1, 0, m * 7, m % 60, m * 13)).toISOString()) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }).map((m) => String(Date.UTC(2026, 8, 1, 0, m * 7))) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('2026-09-01', '2026-09-01 10:00', '2026-09-01T10:00:00+02:00', '2026-02-30T00:00:00Z', '2026-09-01T10:00:00.5Z', ' 2026-09-01T10:00:00Z', '1788000000.5', '5.', '.5', '-1', '1e12', 'soon', '', '2026-09-01T10:00:00.123456Z', '0099-01-01T00:00:00Z', '17880000000000000000'),
  },
)
const arbChannel = fc.constantFrom('search', 'email', 'é-mail', 'social 😀', '', ' search', 'email ', 'direct')
const arbMarker = fc.constantFrom('0', '1', '', '0', '1', 'true', 'no', ' 1', 'x')
const arbValue = fc.constantFrom('', '12.5', '0', '3', ' 4', '1e2', '-1', '.5', 'x', '12345678901234567')
const arbEventLine = fc.oneof(
  { weight: 14, arbitrary: fc.tuple(arbUser, arbTime, arbChannel, arbMarker, arbValue).map((cells) => cells.join(',')) },
  { weight: 1, arbitrary: fc.tuple(arbUser, arbTime, arbChannel).map(([u, t, c]) => `"${u}",${t},${c},1,2`) },
  { weight: 1, arbitrary: fc.tuple(arbUser, arbTime, arbChannel).map(([u, t, c]) => `${u},${t},${c},1`) },
  { weight: 1, arbitrary: fc.tuple(arbUser, arbTime, arbChannel).map(([u, t, c]) => `${u},${t},${c},1,2,3`) },
  { weight: 1, arbitrary: fc.constant('') },
)
const EVENT_HEADERS = ['user_id,timestamp,channel,conversion,conversion_value', '\ufeffchannel,user_id,conversion_value,timestamp,conversion', 'user_id,timestamp,channel,conversion']
const arbEventFile = fc
  .record({ header: fc.constantFrom(...EVENT_HEADERS), lines: fc.array(arbEventLine, { maxLength: 40 }), crlf: fc.boolean(), finalBreak: fc.boolean() })
  .map(({ header, lines, crlf, finalBreak }) => {
    // The second header orders the columns differently: cells are permuted to match it; the third has no value.
    const cols = header.replace('\ufeff', '').split(',')
    const order = ['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value']
    const body = lines.map((l) => {
      const cells = l.split(',')
      return cells.length === 5 && !l.includes('"') ? cols.map((c) => cells[order.indexOf(c)]).join(',') : l
    })
    const nl = crlf ? '\r\n' : '\n'
    return Buffer.from([header, ...body].join(nl) + (finalBreak ? nl : ''), 'utf8')
  })

describe('the event lane reads as the decoders do', () => {
  test.prop([arbEventFile, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom('skip', 'fail') as fc.Arbitrary<'skip' | 'fail'>, fc.boolean(), fc.constantFrom('ms', 's') as fc.Arbitrary<'ms' | 's'>])(
    'same partial, rows, skipped lines, reasons and line numbers, whatever the chunking',
    async (bytes, cuts, onError, grouped, timeUnit) => {
      const events = (lane: NonNullable<ReadSpec['lane']>) => spec({ kind: 'events', onError, grouped, timeUnit, lookbackMs: 3 * 3_600_000, lane })
      const decoders = await read(events('decoders'), [bytes])
      expect(await read(events('js'), chunked(bytes, cuts))).toEqual(decoders)
      expect(await read(events('wasm'), chunked(bytes, cuts))).toEqual(decoders)
    },
  )

  it('reads plain lines in place and declines the others', () => {
    const layout = E.getOrElseW(() => {
      throw new Error('layout')
    })(eventLayout(DEFAULT_READ_OPTIONS.eventColumns)(['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value']))
    const scan = plainEventLine(layout, ',', 'ms')!
    const at = (line: string) => scan(`xx${line}yy`, 2, 2 + line.length)
    expect(at('u1,2026-01-02T00:00:00Z,email,1,30')).toEqual({ user: 'u1', time: Date.UTC(2026, 0, 2), channel: 'email', conversion: true, value: 30 })
    expect(at('u1,1767312000000,,1,')).toEqual({ user: 'u1', time: 1767312000000, channel: '', conversion: true, value: 0 })
    for (const declined of ['u1,"2026-01-02",email,1,30', 'u1,2026-01-02T00:00:00Z,,0,', ' u1,2026-01-02T00:00:00Z,email,1,30', 'u1,2026-01-02T00:00:00Z,email,yes,30', 'u1,2026-01-02,email,1,30', 'u1,2026-01-02T00:00:00Z,email,1,3e1', 'u1,2026-01-02T00:00:00Z,email,1', 'u1,5.,email,1,3']) {
      expect(at(declined), declined).toBeUndefined()
    }
    expect(plainEventLine(layout, '"')).toBeUndefined()
  })
})

describe('plainPathLine', () => {
  const layout = E.getOrElseW(() => {
    throw new Error('layout')
  })(pathLayout()(['path', 'total_conversions', 'total_conversion_value', 'total_null']))

  it('reads a plain line in place and declines one that is not plain, changing nothing', () => {
    const acc = accumulator(settings)
    const scan = plainPathLine(layout, ',', '>', acc)!
    const text = 'xx\nsearch > email > search,2,20.5,3\n"search",1,2,3\nsearch >  ,1,0,0\nsearch,1e2,0,0\n'
    const lineAt = (k: number) => {
      const lines = text.split('\n')
      const start = lines.slice(0, k).reduce((s, l) => s + l.length + 1, 0)
      return [start, start + lines[k]!.length] as const
    }
    expect(scan(text, ...lineAt(1))).toBe(true)
    const after = acc.snapshot()
    expect(after.channels).toEqual(['search', 'email'])
    expect(after.totals).toMatchObject({ conversions: 2, value: 20.5, nulls: 3, journeys: 1 })
    for (const k of [2, 3, 4]) expect(scan(text, ...lineAt(k))).toBe(false)
    expect(acc.snapshot()).toEqual(after)
  })

  it('is not offered for a delimiter or separator it cannot read in place', () => {
    const acc = accumulator(settings)
    expect(plainPathLine(layout, ';;', '>', acc)).toBeUndefined()
    expect(plainPathLine(layout, '"', '>', acc)).toBeUndefined()
    expect(plainPathLine(layout, ',', '"', acc)).toBeUndefined()
    expect(plainPathLine(layout, '\t', ' > ', acc)).toBeDefined()
  })

  test.prop([fc.array(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== '' && !/[>,"\r\n]/.test(s)), { minLength: 1, maxLength: 200 })])(
    'names that share length and first, middle and last characters stay apart (the hash is only a hint)',
    (names) => {
      const acc = accumulator(settings)
      const scan = plainPathLine(layout, ',', '>', acc)!
      const text = names.map((n) => `${n},1,0,0`).join('\n')
      let at = 0
      for (const n of names) {
        const line = `${n},1,0,0`
        expect(scan(text, at, at + line.length)).toBe(true)
        at += line.length + 1
      }
      expect(acc.snapshot().channels).toEqual([...new Set(names.map((n) => n.trim()))])
    },
  )
})

describe('eachLine', () => {
  it('decodes a character cut between two chunks whole, and drops a BOM and CRs', async () => {
    const bytes = Buffer.from('\ufeffé\r\n😀x\nlast', 'utf8')
    for (let cut = 1; cut < bytes.length; cut++) {
      const seen: Array<string> = []
      await eachLine(
        (async function* () {
          yield bytes.subarray(0, cut)
          yield bytes.subarray(cut)
        })(),
        (text) => {
          seen.push(text)
          return true
        },
      )
      expect(seen, `cut at ${cut}`).toEqual(['é', '😀x', 'last'])
    }
  })
})
