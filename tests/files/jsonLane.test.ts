/**
 * The JSON lane (issue 11): a long JSON line's path is found in its bytes and tokenized by the WebAssembly scanner,
 * the rest of the record parsed without it. Whatever the records hold (escapes and \u sequences in the path or
 * elsewhere, keys spelt with escapes, nested values before the path holding "path" themselves, numbers in every
 * notation, a path that is an array or a number, keys given twice, lines that are not JSON), the chunking and bytes
 * that are not UTF-8, the lane must read the file exactly as the reader's own route does: same partial (channels in
 * the same order), rows, skipped lines, reasons and line numbers.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { accumulator } from '../../src/attribution/accumulate'
import { makeSettings } from '../../src/attribution/decode'
import { reader, type SourceReader } from '../../src/attribution/read/reader'
import { readSettings, type ReadSettings } from '../../src/attribution/read/settings'
import { findPath, readJsonLane } from '../../src/files/jsonLane'
import { readSources, sniffJson } from '../../src/files/read'
import { pieceBounds } from '../_cuts'
import { scaledRuns } from '../_runs'

const settings = E.getOrElseW(() => {
  throw new Error('settings')
})(makeSettings({}))
const rs = (o: Record<string, unknown>): ReadSettings =>
  E.getOrElseW((e) => {
    throw new Error(JSON.stringify(e))
  })(readSettings(o))

/** A read of `pieces` as a .jsonl file, or (`told` false) as a source whose format its first line tells. */
const read = async (s: ReadSettings, pieces: ReadonlyArray<Buffer>, lanes: boolean, told = true) => {
  const acc = accumulator(settings)
  const tally = await readSources(s, [{ path: 'long', ...(told ? { format: 'jsonl' as const } : {}), open: () => (async function* () { yield* pieces })() }], acc, { lanes })
  return { partial: acc.snapshot(), tally }
}

const chunked = (bytes: Buffer, cuts: ReadonlyArray<number>): Array<Buffer> =>
  pieceBounds(bytes.length, cuts)
    .map(([from, to]) => bytes.subarray(from, to))
    .filter((b) => b.length > 0)

const NAMES = ['search', 'email', ' paid search ', 'é-mail', 'Straße', '検索', 'social 😀', '😀', 'a', '\u00a0direct', 'campaign-X-summer-2026']

/** A JSON string of `text`: as JSON.stringify writes it, or with some characters as \u sequences or \/. */
const arbQuoted = (text: string) =>
  fc.constantFrom('plain', 'plain', 'plain', 'plain', 'u', 'slash').map((how) => {
    if (how === 'plain') return JSON.stringify(text)
    if (how === 'u') return `"${[...JSON.stringify(text).slice(1, -1)].map((ch, k) => (k % 5 === 0 && ch.length === 1 && ch !== '\\' ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : ch)).join('')}"`
    return JSON.stringify(text).replace(/>/g, '\\/>')
  })

/** A path of `length` names (a long path repeats its names), now and then with a name all spaces or empty. */
const arbPathText = (maxLength: number) =>
  fc
    .record({ pool: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 }), length: fc.integer({ min: 1, max: maxLength }), seed: fc.nat(), odd: fc.integer({ min: 0, max: 15 }) })
    .map(({ pool, length, seed, odd }) => {
      const names = Array.from({ length }, (_, k) => pool[(k * 7 + (k >> 3) + seed) % pool.length]!)
      if (odd === 0) names[seed % length] = '\u3000'
      if (odd === 1) names[seed % length] = ''
      // A quote, a backslash, a tab, a line separator inside a name: escaped in JSON.
      if (odd === 2) names[seed % length] = 'say "hi"\\\t\u2028'
      return names.join(' > ')
    })

const arbNumber = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 50 }).map(String) },
  { weight: 3, arbitrary: fc.constantFrom('3.0', '3e0', '1E+2', '25e-1', '0.5', '0', '-0', '120.5', '1e400', '12345678901234567890', '0.1e1') },
  { weight: 1, arbitrary: fc.constantFrom('-1', '"3"', 'null', 'true', '[]', '01', '1.', '.5', '+1', '1e', '-') },
)

/** Other members: nested values that hold "path" themselves, strings with escapes and braces. */
const arbExtra = fc.constantFrom(
  '"meta": {"path": "x > y", "list": [1, {"path": ["z"]}, "]}"], "s": "q\\"}"}',
  '"note": "a \\"path\\": \\"p\\" {"',
  '"p\\u0061th2": 1',
  '"empty": {}',
  '"arr": [[], [[]], {"a": null}]',
  '"n": -1.5e-3',
  '"t": true',
  '"u": "\\u00e9\\ud83d\\ude00"',
)

interface Member {
  readonly key: string
  readonly value: string
}

/** One line: a record of paths (members in any order), sometimes broken. */
const arbLine = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .record({
      path: fc.oneof(
        { weight: 10, arbitrary: arbPathText(maxLength).chain(arbQuoted) },
        { weight: 1, arbitrary: fc.constantFrom('["a", "b"]', '7', 'null', '""', '"a > "', '"a\tb"') },
      ),
      pathKey: fc.oneof({ weight: 12, arbitrary: fc.constant('"path"') }, { weight: 1, arbitrary: fc.constantFrom('"p\\u0061th"', '"Path"') }),
      conversions: arbNumber,
      value: fc.option(arbNumber, { freq: 4 }),
      nulls: fc.option(arbNumber, { freq: 4 }),
      extras: fc.array(arbExtra, { maxLength: 2 }),
      order: fc.nat(),
      twice: fc.integer({ min: 0, max: 15 }),
      spaces: fc.constantFrom('', ' ', '\t', ' \t '),
      broken: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.record({ how: fc.constantFrom('cut', 'junk', 'brace', 'array'), at: fc.nat() }) }),
    })
    .map((r) => {
      const members: Array<Member> = [
        { key: r.pathKey, value: r.path },
        { key: '"total_conversions"', value: r.conversions },
        ...(r.value === null ? [] : [{ key: '"total_conversion_value"', value: r.value }]),
        ...(r.nulls === null ? [] : [{ key: '"total_null"', value: r.nulls }]),
      ]
      if (r.twice === 0) members.push({ key: '"path"', value: '"a"' })
      if (r.twice === 1) members.push({ key: '"total_null"', value: '1' })
      const all = [...members.map((m) => `${m.key}${r.spaces}:${r.spaces}${m.value}`), ...r.extras]
      // A rotation: the path first, last or between the others.
      const k = r.order % all.length
      const text = `${r.spaces}{${r.spaces}${[...all.slice(k), ...all.slice(0, k)].join(`,${r.spaces}`)}${r.spaces}}${r.spaces}`
      if (r.broken === null) return text
      const at = r.broken.at % text.length
      if (r.broken.how === 'cut') return text.slice(0, at)
      if (r.broken.how === 'junk') return `${text} x`
      if (r.broken.how === 'brace') return text.slice(0, -1 - r.spaces.length)
      return `[${text}]`
    })

const arbLines = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: arbLine(6) },
    // Long lines: past 64 KiB, and so read by the lane.
    { weight: 3, arbitrary: arbLine(12_000) },
    { weight: 1, arbitrary: fc.constantFrom('', '  ', ' \r', 'not json', 'path,total_conversions', 'a > b,1', '{}', '{"path": "a"}') },
  ),
  { minLength: 1, maxLength: 6 },
)

describe('the JSON lane reads long records from their bytes, as the reader\'s own route reads them', () => {
  test.prop(
    [
      arbLines,
      fc.record({
        crlf: fc.boolean(),
        finalBreak: fc.boolean(),
        bom: fc.boolean(),
        onError: fc.constantFrom('skip', 'fail'),
        bad: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.record({ at: fc.nat(), bytes: fc.constantFrom([0xff], [0xc3], [0xe6, 0x97], [0xed, 0xa0, 0x80]) }) }),
      }),
      fc.array(fc.nat(), { maxLength: 8 }),
    ],
    { numRuns: scaledRuns(60) },
  )('same partial, rows, skipped lines, reasons and line numbers', async (lines, o, cuts) => {
    const nl = o.crlf ? '\r\n' : '\n'
    let bytes = Buffer.from((o.bom ? '\uFEFF' : '') + lines.join(nl) + (o.finalBreak ? nl : ''), 'utf8')
    if (o.bad !== null) {
      const at = o.bad.at % (bytes.length + 1)
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(o.bad.bytes), bytes.subarray(at)])
    }
    const s = rs({ onError: o.onError })
    for (const at of [cuts.map((c) => c % (bytes.length + 1)), Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, k) => (k + 1) * 65_536)]) {
      const pieces = chunked(bytes, at)
      const general = await read(s, pieces, false)
      expect(await read(s, pieces, true)).toEqual(general)
      // Its format untold (standard input): the first bytes pick the lane, the reader's first line still decides.
      expect(await read(s, pieces, true, false)).toEqual(await read(s, pieces, false, false))
    }
  })

  it('a source that is a byte-order mark and nothing else has no line on either lane, as on the general route (seed -395581790 found it)', async () => {
    const s = rs({ onError: 'skip' })
    for (const told of [true, false]) {
      const general = await read(s, [Buffer.from([0xef, 0xbb, 0xbf])], false, told)
      expect(general.tally.lines).toEqual([0])
      expect(await read(s, [Buffer.from([0xef, 0xbb, 0xbf])], true, told)).toEqual(general)
    }
  })

  it('takes a long good record in the lane: its path never goes through the reader\'s text route', async () => {
    const path = Array.from({ length: 200_000 }, (_, k) => ['b', ' a', 'é', '😀 x', 'a '][(k * 7 + (k >> 3)) % 5]!).join(' > ')
    const text = [
      JSON.stringify({ meta: { path: 'no' }, path, total_conversions: 3, total_conversion_value: 120.5, total_null: 2 }),
      JSON.stringify({ path: 'z > a', total_conversions: 1 }),
      // Bad after new names: line 3 (an amount) and line 4 (a name all spaces) register nothing.
      JSON.stringify({ path: `q > ${path}`, total_conversions: -1 }),
      JSON.stringify({ path: `q > ${path} > \u3000`, total_conversions: 1 }),
      JSON.stringify({ path: `r > ${path}`, total_conversions: 2 }),
    ].join('\n')
    const bytes = Buffer.from(text, 'utf8')
    const s = rs({ onError: 'skip' })
    const general = await read(s, [bytes], false)
    expect(general.partial.channels).toEqual(['b', 'é', 'a', '😀 x', 'z', 'r'])
    expect(general.tally.rows).toBe(3)
    expect(general.tally.bad.map((b) => b.line)).toEqual([3, 4])
    expect(await read(s, chunked(bytes, [1000, 70_000, 2_000_000]), true)).toEqual(general)

    // The same bytes through the lane, a real reader underneath, counting how each line reached it.
    const acc = accumulator(settings)
    const r = reader(s, acc)
    const src = r.source({ name: 'long.jsonl', format: 'jsonl' })
    const textLines: Array<number> = []
    const laneLines: Array<number> = []
    const watched: SourceReader = {
      ...src,
      line: (t, from, to, n) => (textLines.push(n), src.line(t, from, to, n)),
      jsonPath: (o, n, p) => {
        const taken = src.jsonPath(o, n, p)
        if (taken === true) laneLines.push(n)
        return taken
      },
    }
    expect(await readJsonLane((async function* () { yield bytes })(), watched, acc, { separator: ' > ', pathColumn: 'path', maxLineLength: 1 << 28 })).toBe(true)
    expect(laneLines).toEqual([1, 5])
    // Line 2 is short; lines 3 and 4 are bad, so the general route words them.
    expect(textLines).toEqual([2, 3, 4])
    const tally = r.finish()
    expect({ partial: acc.snapshot(), tally }).toEqual(general)
  })
})

describe('a long first line whose format is not told', () => {
  it('opening with a carriage return is CSV to the reader, on both routes', async () => {
    const path = Array.from({ length: 30_000 }, (_, k) => ['a', 'b'][k % 2]!).join(' > ')
    const bytes = Buffer.from(`\r${JSON.stringify({ path, total_conversions: 1 })}\n{"path": "c", "total_conversions": 1}\n`, 'utf8')
    const s = rs({ onError: 'skip' })
    const general = await read(s, [bytes], false, false)
    // CSV: the header is a malformed record (quotes inside a field), and so is line 2.
    expect(general.tally).toMatchObject({ rows: 0, skipped: 2, kind: undefined })
    expect(await read(s, [bytes], true, false)).toEqual(general)
    // Told, it is JSON lines: the general route parses the record (a carriage return is JSON whitespace).
    expect((await read(s, [bytes], true)).partial.channels).toEqual(['a', 'b', 'c'])
  })
})

describe('findPath', () => {
  const stringEnd = (b: Uint8Array) => (from: number, end: number) => {
    let i = from
    while (i < end && b[i] !== 0x22 && b[i] !== 0x5c && b[i]! >= 0x20) i++
    return i
  }
  const found = (line: string) => {
    const b = Buffer.from(line, 'utf8')
    const at = findPath(b, 0, b.length, Buffer.from('path'), stringEnd(b))
    return at === undefined ? undefined : b.subarray(at[0], at[1]).toString('utf8')
  }
  it('finds the top-level member, past nested values and strings that hold "path"', () => {
    expect(found('{"path":"a > b"}')).toBe('a > b')
    expect(found(' { "x" : {"path": "no", "y": ["}", {"path": 1}]}, "s": "\\"path\\": \\"no\\"" , "path" : "a > é" } ')).toBe('a > é')
    expect(found('{"n": -1.5e3, "t": true, "z": null, "path": ""}')).toBe('')
  })
  it('leaves to the general route a path with an escape, a key with one, a path that is no string, no path', () => {
    expect(found('{"path": "a \\u003e b"}')).toBeUndefined()
    expect(found('{"p\\u0061th": "a"}')).toBeUndefined()
    expect(found('{"path": ["a"]}')).toBeUndefined()
    expect(found('{"paths": "a"}')).toBeUndefined()
    expect(found('{"path": "a\tb"}')).toBeUndefined()
    expect(found('{"path": "a')).toBeUndefined()
    expect(found('["path", "a"]')).toBeUndefined()
  })
})

describe('sniffJson', () => {
  const sniff = async (pieces: ReadonlyArray<string | Error>) => {
    const r = await sniffJson(
      (async function* () {
        for (const p of pieces) {
          if (p instanceof Error) throw p
          yield Buffer.from(p, 'utf8')
        }
      })(),
    )
    const back: Array<string> = []
    let error: unknown
    try {
      for await (const b of r.bytes) back.push(b.toString('utf8'))
    } catch (e) {
      error = e
    }
    return { json: r.json, back, error }
  }
  it('tells JSON lines by their first byte that is not blank, and hands every byte on', async () => {
    expect(await sniff(['  \n', '\r\n\t\uFEFF{"path": "a"}\n', 'x'])).toEqual({ json: true, back: ['  \n', '\r\n\t\uFEFF{"path": "a"}\n', 'x'], error: undefined })
    expect(await sniff(['path,total_conversions\n{'])).toMatchObject({ json: false, back: ['path,total_conversions\n{'] })
    expect(await sniff(['', '   '])).toMatchObject({ json: false, back: ['', '   '] })
  })
  it('throws an error met while telling after the bytes before it', async () => {
    const bad = new Error('bad bytes')
    expect(await sniff(['\n\n', bad])).toEqual({ json: false, back: ['\n\n'], error: bad })
  })
})
