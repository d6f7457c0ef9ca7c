import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { incompleteTail, scanUtf8 } from '../../src/core/utf8'
import { arbUtf8ishBytes } from '../_bytes'

const lenient = new TextDecoder('utf-8', { ignoreBOM: true })
const isValid = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}
/** U+FFFD the decoder produced, not counting those the bytes encode (EF BF BD). */
const replacements = (bytes: Uint8Array) => {
  const text = lenient.decode(bytes)
  const encoded = Buffer.from(bytes).toString('latin1').split('\xef\xbf\xbd').length - 1
  return (text.match(/\uFFFD/g)?.length ?? 0) - encoded
}

describe('scanUtf8', () => {
  test.prop([arbUtf8ishBytes])('counts what TextDecoder replaces, and finds the first', (bytes) => {
    const { invalid, first } = scanUtf8(bytes)
    expect(invalid).toBe(replacements(bytes))
    expect(invalid === 0).toBe(isValid(bytes))
    if (invalid > 0) {
      expect(isValid(bytes.subarray(0, first))).toBe(true)
      expect(isValid(bytes.subarray(0, first + 4)) && first + 4 <= bytes.length).toBe(false)
    } else expect(first).toBe(-1)
  })

  it('cases', () => {
    expect(scanUtf8(new Uint8Array([0x62, 0xff, 0xfe]))).toEqual({ invalid: 2, first: 1 })
    expect(scanUtf8(new Uint8Array([0xe2, 0x82]))).toEqual({ invalid: 1, first: 0 })
    expect(scanUtf8(new Uint8Array([0xe2, 0x82, 0x41]))).toEqual({ invalid: 1, first: 0 })
    expect(scanUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toEqual({ invalid: 3, first: 0 }) // a surrogate: three
    expect(scanUtf8(Buffer.from('a€😀'))).toEqual({ invalid: 0, first: -1 })
  })
})

describe('incompleteTail', () => {
  test.prop([arbUtf8ishBytes, fc.nat()])('cutting off the tail and decoding it with what follows decodes as the whole does', (bytes, at) => {
    const cut = at % (bytes.length + 1)
    const head = bytes.subarray(0, cut)
    const tail = incompleteTail(head)
    expect(tail).toBeLessThanOrEqual(3)
    const joined = lenient.decode(head.subarray(0, head.length - tail)) + lenient.decode(bytes.subarray(cut - tail))
    expect(joined).toBe(lenient.decode(bytes))
  })

  it('cases', () => {
    expect(incompleteTail(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(2)
    expect(incompleteTail(new Uint8Array([0x61, 0xe2, 0x82, 0xac]))).toBe(0)
    expect(incompleteTail(new Uint8Array([0xf0, 0x9f, 0x98]))).toBe(3)
    expect(incompleteTail(new Uint8Array([0x80, 0x80, 0x80]))).toBe(0)
    expect(incompleteTail(new Uint8Array([]))).toBe(0)
  })
})
