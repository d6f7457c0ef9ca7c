/**
 * MurmurHash3 x86_32, as two platforms feed it:
 *
 * - over UTF-8 bytes (`murmur3`), bit-exact with the `murmurhash` package's `v3` (Optimizely's dependency), which
 *   encodes with `TextEncoder`: a lone surrogate becomes U+FFFD (`EF BF BD`). The bytes are encoded inline here,
 *   so hashing allocates nothing and runs where `TextEncoder` is absent;
 * - over the low byte of each UTF-16 code unit (`murmur3LowByte`), bit-exact with `murmurhash3js`'s
 *   `x86.hash32`, which unleash-client (Node) uses: `"ø"` (U+00F8) hashes as the byte F8, `"ą"` (U+0105) as 05.
 *
 * Constant parts are precomputed once. Optimizely hashes `bucketingId + experimentId`: the constant part comes
 * last, so `murmur3Suffixed` precomputes the suffix's mixed 32-bit blocks for each of the four alignments the id
 * can leave. Unleash hashes `groupId + ":" + id`: the constant part comes first, so `murmur3LowBytePrefixed`
 * carries the hash state over the prefix's whole blocks.
 *
 * @module
 */
import { fmix32 } from '../hash'

const C1 = 0xcc9e2d51
const C2 = 0x1b873593

/** The block's mixing that does not depend on the running hash: `rotl(k * c1, 15) * c2`. */
const mixK = (input: number): number => {
  const k = Math.imul(input, C1)
  return Math.imul((k << 15) | (k >>> 17), C2)
}

/** Folds one mixed block into the running hash. */
const mixH = (input: number, mixedK: number): number => {
  const h = input ^ mixedK
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0
}

/** Tail, length and the avalanche. */
const finish = (input: number, k: number, length: number): number => {
  let h = input
  if ((length & 3) !== 0) h ^= mixK(k)
  return fmix32(h ^ length)
}

/**
 * Precomputed bytes that follow the hashed text, for one alignment (`pending` bytes of the text not yet in a
 * block).
 */
interface Aligned {
  /** Suffix bytes that fill the text's pending block, already shifted to their place. */
  readonly head: number
  /** Whether `head` completes that block. */
  readonly completes: boolean
  /** The suffix's whole blocks after the head, already passed through `mixK`. */
  readonly words: Int32Array
  /** The suffix's last bytes, packed from bit 0 (they start a new, partial block). */
  readonly tail: number
}

/** A constant suffix, precomputed for the four alignments. @internal */
export interface Suffix {
  readonly byteLength: number
  readonly aligned: readonly [Aligned, Aligned, Aligned, Aligned]
}

const pack = (bytes: ArrayLike<number>, from: number, to: number): number => {
  let k = 0
  for (let i = from; i < to; i++) k |= bytes[i]! << ((i - from) << 3)
  return k
}

/** UTF-8 bytes as `TextEncoder` writes them (used at decode time only). @internal */
export const utf8Bytes = (text: string): ReadonlyArray<number> => {
  const out: Array<number> = []
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i)
    if (c < 0x80) out.push(c)
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f))
    else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
          i++
          out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
          continue
        }
        c = 0xfffd
      }
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
    }
  }
  return out
}

const alignedFor = (bytes: ReadonlyArray<number>, pending: number): Aligned => {
  const fill = pending === 0 ? 0 : 4 - pending
  if (bytes.length < fill) return { head: pack(bytes, 0, bytes.length) << (pending << 3), completes: false, words: new Int32Array(0), tail: 0 }
  const whole = (bytes.length - fill) >> 2
  const words = new Int32Array(whole)
  for (let w = 0; w < whole; w++) words[w] = mixK(pack(bytes, fill + 4 * w, fill + 4 * w + 4))
  return {
    head: pack(bytes, 0, fill) << (pending << 3),
    completes: fill > 0,
    words,
    tail: pack(bytes, fill + 4 * whole, bytes.length),
  }
}

/** @internal */
export const suffixOf = (suffix: string): Suffix => {
  const bytes = utf8Bytes(suffix)
  return {
    byteLength: bytes.length,
    aligned: [alignedFor(bytes, 0), alignedFor(bytes, 1), alignedFor(bytes, 2), alignedFor(bytes, 3)],
  }
}

/**
 * The UTF-8 MurmurHash3 of `text ‖ suffix`, streaming: bytes are packed into blocks as they are encoded.
 *
 * @internal
 */
export const murmur3Utf8 = (text: string, seed: number, suffix: Suffix | undefined): number => {
  let h = seed | 0
  let k = 0
  let length = 0
  const n = text.length
  let i = 0
  while (i < n) {
    let c = text.charCodeAt(i)
    // Four ASCII characters starting a block: the common case for ids, one block per step.
    if ((length & 3) === 0 && i + 3 < n) {
      const c1 = text.charCodeAt(i + 1)
      const c2 = text.charCodeAt(i + 2)
      const c3 = text.charCodeAt(i + 3)
      if ((c | c1 | c2 | c3) < 0x80) {
        h = mixH(h, mixK(c | (c1 << 8) | (c2 << 16) | (c3 << 24)))
        length += 4
        i += 4
        continue
      }
    }
    i++
    let encoded: number
    let count: number
    if (c < 0x80) {
      encoded = c
      count = 1
    } else if (c < 0x800) {
      encoded = (0xc0 | (c >> 6)) | ((0x80 | (c & 0x3f)) << 8)
      count = 2
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i < n ? text.charCodeAt(i) : 0
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
          i++
          encoded = (0xf0 | (c >> 18)) | ((0x80 | ((c >> 12) & 0x3f)) << 8) | ((0x80 | ((c >> 6) & 0x3f)) << 16) | ((0x80 | (c & 0x3f)) << 24)
          count = 4
        } else {
          encoded = 0xef | (0xbf << 8) | (0xbd << 16) // a lone surrogate, as TextEncoder replaces it: U+FFFD
          count = 3
        }
      } else {
        encoded = (0xe0 | (c >> 12)) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | ((0x80 | (c & 0x3f)) << 16)
        count = 3
      }
    }
    for (let j = 0; j < count; j++) {
      k |= ((encoded >>> (j << 3)) & 0xff) << ((length & 3) << 3)
      length++
      if ((length & 3) === 0) {
        h = mixH(h, mixK(k))
        k = 0
      }
    }
  }
  if (suffix !== undefined) {
    const a = suffix.aligned[(length & 3) as 0 | 1 | 2 | 3]
    if (a.completes) {
      h = mixH(h, mixK(k | a.head))
      k = 0
    } else k |= a.head
    const words = a.words
    for (let w = 0; w < words.length; w++) h = mixH(h, words[w]!)
    k |= a.tail
    length += suffix.byteLength
  }
  return finish(h, k, length)
}

/**
 * MurmurHash3 x86_32 of the UTF-8 bytes of `text`: equal to `murmurhash.v3(text, seed)` (the npm `murmurhash`
 * package, which encodes with `TextEncoder`) for every string, lone surrogates included.
 *
 * **Gotchas**: -1 (never a hash) when an argument is not of the documented type (plain JavaScript callers).
 *
 * @example
 * murmur3('Hello, world!', 0x9747b28c) // => 612912314 (0x24884cba, the published test vector)
 * murmur3('', 1) // => 1364076727 (0x514e28b7)
 *
 * @category hashing
 * @since 0.1.0
 */
export const murmur3 = (text: string, seed: number): number => (hashable(text, seed) ? murmur3Utf8(text, seed, undefined) : -1)

/** Plain JavaScript may pass anything: text must be a string, the seed a number (used as a uint32). @internal */
export const hashable = (text: unknown, seed: unknown): text is string => typeof text === 'string' && typeof seed === 'number'

/** -1, never a hash: the answer for arguments that are not text and a seed. @internal */
export const notHashable = (): number => -1

/**
 * A hasher of `text + suffix` for a constant `suffix` (Optimizely's experiment or group id): the suffix's
 * bytes are encoded and mixed once, here, for each alignment the text can leave.
 *
 * **Gotchas**: -1 (never a hash) when an argument is not of the documented type (plain JavaScript callers).
 *
 * @example
 * const h = murmur3Suffixed('20165530144', 1)
 * h('user-42') === murmur3('user-4220165530144', 1) // => true
 *
 * @category hashing
 * @since 0.1.0
 */
export const murmur3Suffixed = (suffix: string, seed: number): ((text: string) => number) => {
  if (!hashable(suffix, seed)) return notHashable
  // A suffix starting with a low surrogate can pair with a high surrogate ending the text; encoding the two
  // apart would then differ from encoding the concatenation. Ids never do this; stay exact anyway.
  const first = suffix.charCodeAt(0)
  if (first >= 0xdc00 && first <= 0xdfff) return (text) => (typeof text === 'string' ? murmur3Utf8(text + suffix, seed, undefined) : -1)
  const s = suffixOf(suffix)
  return (text) => (typeof text === 'string' ? murmur3Utf8(text, seed, s) : -1)
}

/**
 * The low-byte MurmurHash3 of `text` continued from a state (`h`, pending `k`, `length` so far).
 *
 * @internal
 */
export const murmur3LowByteFrom = (start: number, pending: number, startLength: number, text: string): number => {
  let h = start
  let k = pending
  let length = startLength
  const n = text.length
  let i = 0
  // Fill the prefix's partial block first; then the text runs block-aligned.
  while ((length & 3) !== 0 && i < n) {
    k |= (text.charCodeAt(i) & 0xff) << ((length & 3) << 3)
    i++
    length++
    if ((length & 3) === 0) {
      h = mixH(h, mixK(k))
      k = 0
    }
  }
  const blocks = i + ((n - i) & ~3)
  for (; i < blocks; i += 4) {
    h = mixH(
      h,
      mixK(
        (text.charCodeAt(i) & 0xff) |
          ((text.charCodeAt(i + 1) & 0xff) << 8) |
          ((text.charCodeAt(i + 2) & 0xff) << 16) |
          ((text.charCodeAt(i + 3) & 0xff) << 24),
      ),
    )
    length += 4
  }
  for (let shift = 0; i < n; i++, shift += 8) {
    k |= (text.charCodeAt(i) & 0xff) << shift
    length++
  }
  return finish(h, k, length)
}

/** Hash state after a constant prefix: whole blocks folded in, the rest pending. @internal */
export interface PrefixState {
  readonly h: number
  readonly k: number
  readonly length: number
}

/** @internal */
export const lowBytePrefixState = (prefix: string, seed: number): PrefixState => {
  let h = seed | 0
  const whole = prefix.length & ~3
  for (let i = 0; i < whole; i += 4) {
    h = mixH(h, mixK(pack([prefix.charCodeAt(i) & 0xff, prefix.charCodeAt(i + 1) & 0xff, prefix.charCodeAt(i + 2) & 0xff, prefix.charCodeAt(i + 3) & 0xff], 0, 4)))
  }
  let k = 0
  for (let i = whole; i < prefix.length; i++) k |= (prefix.charCodeAt(i) & 0xff) << ((i - whole) << 3)
  return { h, k, length: prefix.length }
}

/**
 * MurmurHash3 x86_32 over the low byte of each UTF-16 code unit of `text`, the length being the number of code
 * units: equal to `murmurhash3js`'s `x86.hash32(text, seed)`, which unleash-client (Node) hashes with. For ASCII
 * this is the UTF-8 MurmurHash3; for other text it is not (other Unleash SDKs hash UTF-8).
 *
 * **Gotchas**: -1 (never a hash) when an argument is not of the documented type (plain JavaScript callers).
 *
 * @example
 * murmur3LowByte('default:user-42', 0) // => 742541435  (as require('murmurhash3js').x86.hash32('default:user-42', 0))
 *
 * @category hashing
 * @since 0.1.0
 */
export const murmur3LowByte = (text: string, seed: number): number => (hashable(text, seed) ? murmur3LowByteFrom(seed | 0, 0, 0, text) : -1)

/**
 * A low-byte hasher of `prefix + text` for a constant `prefix` (Unleash's `groupId + ":"`): the prefix's whole
 * blocks are mixed once, here.
 *
 * **Gotchas**: -1 (never a hash) when an argument is not of the documented type (plain JavaScript callers).
 *
 * @example
 * const h = murmur3LowBytePrefixed('checkout:', 0)
 * h('user-42') === murmur3LowByte('checkout:user-42', 0) // => true
 *
 * @category hashing
 * @since 0.1.0
 */
export const murmur3LowBytePrefixed = (prefix: string, seed: number): ((text: string) => number) => {
  if (!hashable(prefix, seed)) return notHashable
  const { h, k, length } = lowBytePrefixState(prefix, seed)
  return (text) => (typeof text === 'string' ? murmur3LowByteFrom(h, k, length, text) : -1)
}
