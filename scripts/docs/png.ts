/**
 * Smaller screenshots for docs/ (they ship in the package): a Chromium PNG (8-bit RGB or RGBA, not interlaced)
 * re-encoded with a palette of its 256 most frequent colours, every other colour (antialiased edges) drawn in the
 * nearest of them. The report's flat fills and text keep their exact colours. Node's zlib only, no dependency.
 * (decodePng reads its own indexed output too, so a test can compare pixels.)
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

interface Rgb {
  readonly width: number
  readonly height: number
  /** One 0xRRGGBB per pixel, row by row. */
  readonly pixels: Uint32Array
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** The pixels of a PNG as Chromium writes them; `Error` for any other kind. */
export const decodePng = (png: Buffer): Rgb => {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG')
  let width = 0
  let height = 0
  let bpp = 0
  let palette: Buffer | undefined
  const data: Array<Buffer> = []
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at)
    const type = png.toString('latin1', at + 4, at + 8)
    const body = png.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]]
      if (depth !== 8 || (colour !== 2 && colour !== 3 && colour !== 6) || interlace !== 0) throw new Error(`PNG of depth ${depth}, colour type ${colour}, interlace ${interlace}: expected 8-bit RGB(A) or indexed, not interlaced`)
      bpp = colour === 6 ? 4 : colour === 2 ? 3 : 1
    } else if (type === 'PLTE') palette = body
    else if (type === 'IDAT') data.push(body)
    at += 12 + length
  }
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * bpp
  const out = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const row = y * stride
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[row + i - bpp]! : 0
      const b = y > 0 ? out[row - stride + i]! : 0
      const c = i >= bpp && y > 0 ? out[row - stride + i - bpp]! : 0
      const x = line[i]!
      out[row + i] = (filter === 0 ? x : filter === 1 ? x + a : filter === 2 ? x + b : filter === 3 ? x + ((a + b) >> 1) : x + paeth(a, b, c)) & 0xff
    }
  }
  const pixels = new Uint32Array(width * height)
  if (bpp === 1) for (let p = 0; p < pixels.length; p++) pixels[p] = palette!.readUIntBE(out[p]! * 3, 3)
  else for (let p = 0; p < pixels.length; p++) pixels[p] = (out[p * bpp]! << 16) | (out[p * bpp + 1]! << 8) | out[p * bpp + 2]!
  return { width, height, pixels }
}

const chunk = (type: string, body: Buffer): Buffer => {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0)
  return Buffer.concat([head, body, crc])
}

/** The same picture as an indexed PNG of at most `colours` colours (the most frequent; others to the nearest). */
export const palettePng = (png: Buffer, colours = 256): Buffer => {
  const { width, height, pixels } = decodePng(png)
  const counts = new Map<number, number>()
  for (const p of pixels) counts.set(p, (counts.get(p) ?? 0) + 1)
  const palette = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, colours).map(([c]) => c)
  const index = new Map<number, number>(palette.map((c, i) => [c, i]))
  const nearest = (c: number): number => {
    let best = 0
    let bestD = Infinity
    palette.forEach((q, i) => {
      const d = (((c >> 16) & 255) - ((q >> 16) & 255)) ** 2 + (((c >> 8) & 255) - ((q >> 8) & 255)) ** 2 + ((c & 255) - (q & 255)) ** 2
      if (d < bestD) [best, bestD] = [i, d]
    })
    index.set(c, best)
    return best
  }
  const raw = Buffer.alloc((width + 1) * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const c = pixels[y * width + x]!
    raw[y * (width + 1) + 1 + x] = index.get(c) ?? nearest(c)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 3 // indexed colour
  const plte = Buffer.alloc(palette.length * 3)
  palette.forEach((c, i) => plte.writeUIntBE(c, i * 3, 3))
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}
