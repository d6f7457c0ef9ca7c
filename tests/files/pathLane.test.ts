/**
 * The WebAssembly lane's long lines (issue 11): a line of any length is tokenized in the scanner's memory from its
 * bytes, and a token it has not seen is named once by the JS side. Whatever the line lengths, the names (spaces,
 * multi-byte and astral characters, names that are all spaces), the separator, the chunking (cuts inside
 * separators and characters) and bytes that are not UTF-8, the lane must read the file exactly as the reader's
 * own route does: same partial (channels in the same order), rows, skipped lines, reasons and line numbers.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { accumulator } from '../../src/attribution/accumulate'
import { makeSettings } from '../../src/attribution/decode'
import { readSettings, type ReadSettings } from '../../src/attribution/read/settings'
import { readSources } from '../../src/files/read'
import { pieceBounds } from '../_cuts'
import { scaledRuns } from '../_runs'

const settings = E.getOrElseW(() => {
  throw new Error('settings')
})(makeSettings({}))
const rs = (o: Record<string, unknown>): ReadSettings =>
  E.getOrElseW((e) => {
    throw new Error(JSON.stringify(e))
  })(readSettings(o))

const read = async (s: ReadSettings, pieces: ReadonlyArray<Buffer>, lanes: boolean) => {
  const acc = accumulator(settings)
  const tally = await readSources(s, [{ path: 'long.csv', open: () => (async function* () { yield* pieces })() }], acc, { lanes })
  return { partial: acc.snapshot(), tally }
}

const chunked = (bytes: Buffer, cuts: ReadonlyArray<number>): Array<Buffer> =>
  pieceBounds(bytes.length, cuts)
    .map(([from, to]) => bytes.subarray(from, to))
    .filter((b) => b.length > 0)

/** Every offset where `needle` starts in `bytes`, and the one after it (a cut inside a separator of two bytes). */
const occurrences = (bytes: Buffer, needle: Buffer): Array<number> => {
  const at: Array<number> = []
  for (let i = bytes.indexOf(needle); i >= 0 && at.length < 400; i = bytes.indexOf(needle, i + 1)) at.push(i, i + 1, i + needle.length)
  return at
}

// Names with spaces around and inside, two- three- and four-byte characters, one that is all spaces as trim sees
// them (U+00A0, U+3000), long ones equal in their first and last eight bytes (all the scanner's key holds).
const NAMES = ['search', 'email', ' paid search ', 'é-mail', 'Straße', '検索', 'social 😀', '😀', 'a', '\u00a0direct', 'campaign-X-summer-2026', 'campaign-Y-summer-2026']
const BLANK = ['\u00a0\u3000', ' ']
const SEPARATORS = ['>', ' > ', '→', '->']

interface Shape {
  readonly separator: string
  readonly lines: ReadonlyArray<string>
}

/** A path: `length` names drawn by `pick` from a few (so a long path repeats its names), joined by the separator. */
const arbPath = (separator: string, maxLength: number) =>
  fc
    .record({ pool: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 5 }), length: fc.integer({ min: 1, max: maxLength }), seed: fc.nat(), blank: fc.integer({ min: 0, max: 12 }), empty: fc.integer({ min: 0, max: 12 }) })
    .map(({ pool, length, seed, blank, empty }) => {
      const names = Array.from({ length }, (_, k) => pool[(k * 7 + (k >> 3) + seed) % pool.length]!)
      // Now and then a name that is all spaces, or empty, at some place in the path: a bad line on both routes.
      if (blank === 0) names[seed % length] = BLANK[seed % BLANK.length]!
      if (empty === 0) names[(seed >> 3) % length] = ''
      return names.join(separator)
    })

const arbNumber = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 50 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('', '1e2', '-1', 'x', '2.5') },
)

const arbShape: fc.Arbitrary<Shape> = fc.constantFrom(...SEPARATORS).chain((separator) =>
  fc.record({
    separator: fc.constant(separator),
    lines: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(arbPath(separator, 6), arbNumber, arbNumber).map(([p, c, v]) => `${p},${c},${v},0`) },
        // Long lines: past the scanner's output region (about 64 KiB of path) and so read by its `line`.
        { weight: 2, arbitrary: fc.tuple(arbPath(separator, 40_000), arbNumber).map(([p, c]) => `${p},${c},1,2`) },
        { weight: 1, arbitrary: fc.tuple(arbPath(separator, 3000), arbNumber).map(([p, c]) => `"${p}",${c},0,1`) },
        { weight: 1, arbitrary: arbPath(separator, 3000).map((p) => `${p},1,0`) },
        { weight: 1, arbitrary: fc.constant('') },
      ),
      { maxLength: 8 },
    ),
  }),
)

const HEADER = 'path,total_conversions,total_conversion_value,total_null'

describe('the lane reads lines of any length from their bytes, as the reader\'s own route reads them', () => {
  test.prop(
    [
      arbShape,
      fc.record({ crlf: fc.boolean(), finalBreak: fc.boolean(), onError: fc.constantFrom('skip', 'fail'), bad: fc.option(fc.record({ line: fc.nat(), at: fc.nat(), bytes: fc.constantFrom([0xff], [0xc3], [0xe6, 0x97], [0xed, 0xa0, 0x80]) }), { freq: 4 }) }),
      fc.array(fc.nat(), { maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 6 }),
    ],
    { numRuns: scaledRuns(40) },
  )('same partial, rows, skipped lines, reasons and line numbers', async (shape, o, cuts, separatorCuts) => {
    const nl = o.crlf ? '\r\n' : '\n'
    let bytes = Buffer.from([HEADER, ...shape.lines].join(nl) + (o.finalBreak ? nl : ''), 'utf8')
    if (o.bad !== null) {
      // Bytes that are not UTF-8 somewhere after the header.
      const at = HEADER.length + 1 + (o.bad.at % Math.max(1, bytes.length - HEADER.length - 1))
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(o.bad.bytes), bytes.subarray(at)])
    }
    const s = rs({ onError: o.onError, separator: shape.separator })
    // Cuts anywhere (inside characters too), and at, inside and after separators; and the 64 KiB chunks a file
    // stream gives. Each against the general route on the same pieces (where bytes that are not UTF-8 are cut
    // changes how many of them the message quotes).
    const seps = occurrences(bytes, Buffer.from(shape.separator, 'utf8'))
    const cutSets = [
      [...cuts.map((c) => c % (bytes.length + 1)), ...separatorCuts.map((k) => seps[k % Math.max(1, seps.length)] ?? 0)],
      Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, k) => (k + 1) * 65_536),
    ]
    for (const at of cutSets) {
      const pieces = chunked(bytes, at)
      const general = await read(s, pieces, false)
      // A read stopped by bytes that are not UTF-8 tells the reader nothing of the lines the lane read after the
      // last one it handed over, so the count of lines seen is left out there (as before this lane read long
      // lines: lines its batch read were not counted either).
      const same = (r: Awaited<ReturnType<typeof read>>) =>
        o.bad === null || !general.tally.failed ? r : { ...r, tally: { ...r.tally, lines: [] } }
      expect(same(await read(s, pieces, true))).toEqual(same(general))
    }
  })

  it('a long line of names never seen before: channels in path order, rows and line numbers as the general route', async () => {
    const path = Array.from({ length: 200_000 }, (_, k) => ['b', ' a', 'é', '😀 x', 'a '][(k * 7 + (k >> 3)) % 5]!).join(' > ')
    // Lines 4 and 5 are bad after new names (all spaces; empty): the names they added are forgotten, and line 6
    // names q and r afresh.
    const bytes = Buffer.from(`${HEADER}\n${path},3,120.5,2\nz > a,1,0,0\n${path} > \u3000,1,0,0\nq > r >> s,1,0,0\nq > r,2,0,0\n${path},1,0,0`, 'utf8')
    const s = rs({ onError: 'skip' })
    const general = await read(s, [bytes], false)
    expect(general.partial.channels).toEqual(['b', 'é', 'a', '😀 x', 'z', 'q', 'r'])
    expect(general.tally.rows).toBe(4)
    expect(general.tally.bad).toEqual([expect.objectContaining({ line: 4 }), expect.objectContaining({ line: 5 })])
    for (const cut of [1000, 65_536, bytes.length]) {
      expect(await read(s, chunked(bytes, Array.from({ length: Math.ceil(bytes.length / cut) }, (_, k) => (k + 1) * cut)), true)).toEqual(general)
    }
  })
})
