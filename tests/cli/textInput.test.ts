import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { decodeUtf8, InvalidUtf8, readCsv, readLines, textTally } from '../../src/cli/textInput'
import { scanUtf8 } from '../../src/core/utf8'
import { pieceBounds } from '../_cuts'
import { arbUtf8ishBytes } from '../_bytes'

const lenient = new TextDecoder('utf-8', { ignoreBOM: true })
const chunksOf = (bytes: Uint8Array, cuts: ReadonlyArray<number>) => pieceBounds(bytes.length, cuts).map(([from, to]) => bytes.slice(from, to))
async function* from<A>(xs: ReadonlyArray<A>) {
  yield* xs
}
const collect = async <A>(xs: AsyncIterable<A>): Promise<Array<A>> => {
  const out: Array<A> = []
  for await (const x of xs) out.push(x)
  return out
}

describe('decodeUtf8', () => {
  test.prop([arbUtf8ishBytes, fc.array(fc.nat(), { maxLength: 8 })])('any chunking: the text of the whole, replacements counted, or the line of the first invalid byte', async (bytes, cuts) => {
    const whole = lenient.decode(bytes)
    const expected = whole.charCodeAt(0) === 0xfeff ? whole.slice(1) : whole
    const scan = scanUtf8(bytes)
    const line = 1 + [...bytes.subarray(0, Math.max(0, scan.first))].filter((b) => b === 10).length
    const tally = textTally()
    const text = (await collect(decodeUtf8(from(chunksOf(bytes, cuts)), 'f.txt', { replaceInvalid: true }, tally))).join('')
    expect(text).toBe(expected)
    expect(tally.replaced).toBe(scan.invalid)
    expect(tally.firstReplacedLine).toBe(scan.invalid === 0 ? undefined : line)
    const strict = collect(decodeUtf8(from(chunksOf(bytes, cuts)), 'f.txt'))
    if (scan.invalid === 0) expect((await strict).join('')).toBe(expected)
    else await expect(strict).rejects.toMatchObject({ file: 'f.txt', line, byte: bytes[scan.first] })
  })

  it('says where, and how to read it anyway', async () => {
    const e = await collect(decodeUtf8(from([Buffer.from('a\nb\n'), Buffer.from([0x63, 0xff, 0x0a])]), 'units.csv')).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(InvalidUtf8)
    expect((e as Error).message).toBe('units.csv:3: invalid UTF-8 (byte 0xff): expected UTF-8 text')
  })
})

describe('readLines', () => {
  test.prop([fc.array(fc.string({ unit: fc.constantFrom('a', 'é', ' ', '\n', '\r', '{') , maxLength: 30 }), { maxLength: 5 }).map((xs) => xs.join(''))])('lines and their numbers do not depend on chunking', async (text) => {
    const expected = text.split('\n').map((l, i) => ({ line: i + 1, text: l.endsWith('\r') ? l.slice(0, -1) : l })).filter((l) => l.text.trim() !== '')
    for (const size of [1, 2, 7, 1000]) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size))
      expect(await collect(readLines(from(chunks)))).toEqual(expected)
    }
  })

  it('CSV records from text chunks', async () => {
    expect(await collect(readCsv(from(['a,b\n1,"x', '\ny"\n'])))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'x\ny'] },
    ])
  })
})
