/**
 * Reading, stage 2 (lines): the splitter gives the lines a plain split gives, numbered, whatever the chunking,
 * including lines spread over many chunks (the 100 MB line came as thousands of chunks).
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { lineSplitter } from '../../../src/attribution/read/lines'

/** The lines a whole-text split gives: `\n` ends a line, a `\r` before it is dropped, no line after a final `\n`. */
const reference = (text: string): ReadonlyArray<string> => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (body === '') return []
  const parts = body.split('\n')
  if (parts[parts.length - 1] === '') parts.pop()
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
}

const read = (chunks: ReadonlyArray<string>, maxLineLength?: number) => {
  const seen: Array<string> = []
  const numbers: Array<number> = []
  const s = lineSplitter(
    (t, from, to, n) => {
      seen.push(t.slice(from, to))
      numbers.push(n)
      return true
    },
    maxLineLength === undefined ? {} : { maxLineLength },
  )
  let ok = true
  for (const c of chunks) ok = ok && s.push(c)
  if (ok) ok = s.end()
  return { seen, numbers, ok, tooLong: s.tooLong() }
}

const cut = (text: string, at: ReadonlyArray<number>): ReadonlyArray<string> => {
  const points = [...new Set(at.map((k) => k % (text.length + 1)))].sort((a, b) => a - b)
  const out: Array<string> = []
  let from = 0
  for (const p of points) {
    out.push(text.slice(from, p))
    from = p
  }
  out.push(text.slice(from))
  return out
}

const arbText = fc
  .array(fc.oneof(fc.constantFrom('\n', '\r\n', '\r', 'a', 'bc', ',', '"', '\ufeff'), fc.string({ maxLength: 12 })), { maxLength: 40 })
  .chain((parts) => fc.boolean().map((bom) => (bom ? '\ufeff' : '') + parts.join('')))

describe('lineSplitter', () => {
  test.prop([arbText, fc.array(fc.nat(), { maxLength: 12 })])('gives the lines of a plain split, numbered from 1, however the text is cut', (text, at) => {
    const r = read(cut(text, at))
    expect(r.ok).toBe(true)
    expect(r.seen).toEqual(reference(text))
    expect(r.numbers).toEqual(r.seen.map((_, i) => i + 1))
  })

  it('a line spread over a hundred thousand chunks comes out whole, once', () => {
    const piece = 'search > email > '
    const chunks = Array.from({ length: 100_000 }, () => piece)
    const r = read(['path,total_conversions\n', ...chunks, 'direct,3\n', 'a,1'])
    expect(r.seen).toHaveLength(3)
    expect(r.seen[1]).toBe(`${piece.repeat(100_000)}direct,3`)
    expect(r.seen[2]).toBe('a,1')
  })

  test.prop([fc.integer({ min: 2, max: 30 }), fc.array(fc.nat(), { maxLength: 8 })])('a line longer than maxLineLength stops the read and is named, however it is cut', (max, at) => {
    const text = `ok\n${'x'.repeat(max + 1)}\nz\n`
    const r = read(cut(text, at), max)
    expect(r.ok).toBe(false)
    expect(r.tooLong).toBe(2)
    expect(r.seen).toEqual(['ok'])
    // One character shorter, the same line is read.
    expect(read(cut(text.replace('x', ''), at), max).seen).toEqual(['ok', 'x'.repeat(max), 'z'])
  })
})
