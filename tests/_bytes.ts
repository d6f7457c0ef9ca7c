/** Generators of raw bytes for decoder properties. */
import { fc } from '@fast-check/vitest'

/** Bytes rich in multi-byte sequences, their edges (E0/ED/F0/F4 bounds), cut sequences and stray bytes. */
export const arbUtf8ishBytes = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }).map((s) => [...Buffer.from(s, 'utf8')]),
      fc.constantFrom([0xe0, 0xa0, 0x80], [0xe0, 0x9f, 0x80], [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xf0, 0x90, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0x0a], [0xef, 0xbb, 0xbf]),
      fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => new Uint8Array(parts.flat()))

