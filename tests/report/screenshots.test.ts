/**
 * The screenshots docs/ shows (written by `npm run docs:screenshots`, not re-rendered here): each is committed and a
 * PNG of the size the script takes; and the palette re-encoding they go through keeps a picture of at most 256
 * colours exactly, and maps others to the nearest of the most frequent.
 */
import { fc, test } from '@fast-check/vitest'
import { readFileSync } from 'node:fs'
import { crc32, deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodePng, palettePng } from '../../scripts/docs/png'
import { SCREENSHOTS, SHOT } from '../../scripts/docs/screenshots'

/** An RGB PNG, filter 0 on every row (what a simple encoder writes; Chromium's use filters 1 to 4 and are read above). */
const rgbPng = (width: number, height: number, pixels: ReadonlyArray<number>): Buffer => {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(body.length, 0)
    head.write(type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0)
    return Buffer.concat([head, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const raw = Buffer.alloc((3 * width + 1) * height)
  pixels.forEach((c, p) => raw.writeUIntBE(c, Math.floor(p / width) * (3 * width + 1) + 1 + (p % width) * 3, 3))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

describe('docs screenshots', () => {
  it.each(SCREENSHOTS.map(([name, file]) => [name, file] as const))('%s: docs/%s is committed, a PNG of the window the script takes', (_, file) => {
    const png = readFileSync(new URL(`../../docs/${file}`, import.meta.url))
    const { width, height } = decodePng(png)
    expect([width, height]).toEqual([SHOT.width * SHOT.scale, SHOT.height * SHOT.scale])
    expect(png[25]).toBe(3) // indexed colour: re-encoded to stay small
    expect(png.length).toBeGreaterThan(20_000) // a blank page compresses to a few KB
    expect(png.length).toBeLessThan(150_000)
  })

  test.prop([fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.array(fc.integer({ min: 0, max: 0xffffff }), { minLength: 1, maxLength: 256 }), fc.infiniteStream(fc.nat())])(
    'a picture of at most 256 colours comes back pixel for pixel',
    (width, height, colours, picks) => {
      const it = picks[Symbol.iterator]()
      const pixels = Array.from({ length: width * height }, () => colours[it.next().value % colours.length]!)
      expect([...decodePng(palettePng(rgbPng(width, height, pixels))).pixels]).toEqual(pixels)
    },
  )

  it('more colours: the most frequent keep theirs, the rest take the nearest', () => {
    // 0x000000 most often, then 0xffffff; 0x0a0a0a once.
    const pixels = [0, 0, 0, 0xffffff, 0xffffff, 0x0a0a0a]
    expect([...decodePng(palettePng(rgbPng(3, 2, pixels), 2)).pixels]).toEqual([0, 0, 0, 0xffffff, 0xffffff, 0])
  })
})
