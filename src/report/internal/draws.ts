/**
 * The random draws of the bootstrap, seeded by the run's seed and each journey's content (never by its position
 * in the input, so a journey draws the same weights in whatever shard it is read and merged shards equal one pass).
 *
 * - A journey's content hash is 64 bits in two 32-bit lanes (a multiply-xorshift step per word over its channel
 *   names' hashes, its counts, value and times as float64 bits, then the murmur3 finaliser).
 * - Each journey unit (an aggregated row stands for `conversions + nulls` units) draws one fair bit per replicate:
 *   `unitMask` fills `ceil(R / 32)` words from a counter-based generator (the murmur3 finaliser over two Weyl
 *   sequences, splitmix32 style, seeded from both lanes), so replicate r's bit of unit u costs a fraction of an
 *   operation and no state is carried between journeys.
 * - A row of more than `MASK_LIMIT` units draws Binomial(n, 1/2) per replicate instead (Hörmann's BTRS, 1993),
 *   the distribution of the sum of its units' bits, at a cost that does not grow with n.
 *
 * @internal
 * @module
 */
import { logGamma } from '../gamma'

/** Rows of at most this many units draw a bit per unit; larger rows draw a binomial per replicate. */
export const MASK_LIMIT = 64

/** The murmur3 32-bit finaliser: a bijection with full avalanche. */
export const fmix32 = (x: number): number => {
  let h = x ^ (x >>> 16)
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r))

/**
 * One word into lane 1: xor, multiply by an odd constant, xorshift. For a fixed word each step is a bijection of
 * the state, so two sequences of the same length that differ in one word never meet in a lane; the finaliser
 * (`finishLanes`) then mixes every bit.
 */
export const lane1 = (h: number, k: number): number => {
  const x = Math.imul(h ^ k, 0x9e3779b1)
  return x ^ (x >>> 15)
}

/** One word into lane 2 (other constants). */
export const lane2 = (h: number, k: number): number => {
  const x = Math.imul(h ^ k, 0x85ebca77)
  return x ^ (x >>> 13)
}

/** Finalises both lanes after `length` words into `out[0]`, `out[1]`. */
export const finishLanes = (a: number, b: number, length: number, out: Int32Array): void => {
  let x = fmix32(a ^ length)
  let y = fmix32(b ^ Math.imul(length, 0x9e3779b1))
  x = (x + y) | 0
  y = (y + x) | 0
  out[0] = x
  out[1] = y
}

/**
 * A two-lane 32-bit hash fed word by word (murmur3's body per lane, different constants per lane); `digest`
 * finalises both lanes into `h1`, `h2`. One instance is reused: `reset`, feed, `digest`.
 */
export interface LaneHash {
  reset: (seed1: number, seed2: number) => void
  word: (k: number) => void
  /** The 64 bits of a double, as two words. */
  number: (x: number) => void
  string: (s: string) => void
  digest: () => void
  h1: number
  h2: number
}

export const laneHash = (): LaneHash => {
  const f64 = new Float64Array(1)
  const i32 = new Int32Array(f64.buffer)
  let a = 0
  let b = 0
  let length = 0
  const word = (k: number) => {
    a = lane1(a, k)
    b = lane2(b, k)
    length++
  }
  const out = new Int32Array(2)
  const h: LaneHash = {
    h1: 0,
    h2: 0,
    reset: (seed1, seed2) => {
      a = seed1 | 0
      b = seed2 | 0
      length = 0
    },
    word,
    number: (x) => {
      f64[0] = x
      word(i32[0]!)
      word(i32[1]!)
    },
    string: (s) => {
      word(s.length)
      for (let i = 0; i < s.length; i += 2) word(s.charCodeAt(i) | ((i + 1 < s.length ? s.charCodeAt(i + 1) : 0) << 16))
    },
    digest: () => {
      finishLanes(a, b, length, out)
      h.h1 = out[0]!
      h.h2 = out[1]!
    },
  }
  return h
}

/** The two seed words of a text (the run's seed, or a channel name). */
export const textHash = (text: string, hash: LaneHash = laneHash()): readonly [number, number] => {
  hash.reset(0x3c6ef372, 0x510e527f)
  hash.string(text)
  hash.digest()
  return [hash.h1, hash.h2]
}

/** Word k of the stream (a, b): the murmur3 finaliser over two Weyl sequences combined (splitmix32 style). */
const streamWord = (a: number, b: number, k: number): number => fmix32((a + Math.imul(k, 0x9e3779b9)) ^ rotl((b + Math.imul(k, 0x6c8e9cf5)) | 0, 16))

/** The stream of unit `unit` of the journey hashed to (h1, h2): its two seed words. */
const streamA = (h1: number, unit: number): number => fmix32((h1 + Math.imul(unit, 0x632be5ab) + 0x2545f491) | 0)
const streamB = (h2: number, unit: number): number => fmix32((h2 ^ Math.imul(unit, 0x9e3779b1)) + 0x5bd1e995)

/**
 * Writes unit `unit`'s replicate bits into `out[offset .. offset + words)`: bit r of word w is replicate 32w + r's
 * draw (1: the unit counts twice, 0: not at all). `lastMask` clears the bits past the last replicate.
 */
export const unitMask = (h1: number, h2: number, unit: number, out: Int32Array, offset: number, words: number, lastMask: number): void => {
  const a = streamA(h1, unit)
  const b = streamB(h2, unit)
  for (let w = 0; w < words; w++) out[offset + w] = streamWord(a, b, w)
  out[offset + words - 1] = out[offset + words - 1]! & lastMask
}

/** A uniform source in [0, 1) with 53 random bits, from the stream of `unit` (a stream no mask uses). */
export const uniformSource = (h1: number, h2: number, unit: number): (() => number) => {
  const a = streamA(h1, unit)
  const b = streamB(h2, unit)
  let k = 0
  return () => {
    const hi = streamWord(a, b, k++) >>> 5
    const lo = streamWord(a, b, k++) >>> 6
    return (hi * 67108864 + lo) / 9007199254740992
  }
}

/**
 * One Binomial(n, 1/2) draw for n > `MASK_LIMIT` (so n·p >= 10): Hörmann's BTRS ("The generation of binomial
 * random variates", 1993), transformed rejection with squeeze, accepting on the exact log-density ratio. Exact
 * given uniform draws.
 */
export const binomialHalf = (n: number, uniform: () => number): number => {
  const p = 0.5
  const spq = Math.sqrt(n * p * (1 - p))
  const b = 1.15 + 2.53 * spq
  const a = -0.0873 + 0.0248 * b + 0.01 * p
  const c = n * p + 0.5
  const alpha = (2.83 + 5.1 / b) * spq
  const vr = 0.92 - 4.2 / b
  const m = Math.floor((n + 1) * p)
  const h = logGamma(m + 1) + logGamma(n - m + 1)
  for (;;) {
    const u = uniform() - 0.5
    const v = uniform()
    const us = 0.5 - Math.abs(u)
    const k = Math.floor(((2 * a) / us + b) * u + c)
    if (k < 0 || k > n) continue
    if (us >= 0.07 && v <= vr) return k
    // ln f(k) - ln f(m) for p = 1/2 (the log(p/q) term is 0).
    if (Math.log((v * alpha) / (a / (us * us) + b)) <= h - logGamma(k + 1) - logGamma(n - k + 1)) return k
  }
}
