/**
 * Users seen, for order `grouped`: a 64-bit fingerprint per user in an open-addressing table of typed arrays, so a
 * user seen again after another is found with the line where the user's events began.
 *
 * @module
 */
/** Two independent 32-bit hashes of a string (FNV-1a and a multiplicative one): a 64-bit fingerprint. */
const fingerprint = (s: string): readonly [number, number] => {
  let a = 0x811c9dc5
  let b = 0x9e3779b9 ^ s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  a ^= a >>> 16
  a = Math.imul(a, 0x85ebca6b)
  a ^= a >>> 13
  return [a | 0, b | 0]
}

/** Users seen (grouped order): fingerprint -> where the user's events began. Open addressing in typed arrays. */
export const seenUsers = () => {
  let size = 1024
  let hashA = new Int32Array(size)
  let hashB = new Int32Array(size)
  let lines = new Float64Array(size)
  let sources = new Int32Array(size)
  let count = 0
  const slotOf = (a: number, b: number): number => {
    let i = (a ^ Math.imul(b, 0x27d4eb2d)) & (size - 1)
    while (lines[i] !== 0 && !(hashA[i] === a && hashB[i] === b)) i = (i + 1) & (size - 1)
    return i
  }
  const grow = () => {
    const [oa, ob, ol, os] = [hashA, hashB, lines, sources]
    size *= 2
    hashA = new Int32Array(size)
    hashB = new Int32Array(size)
    lines = new Float64Array(size)
    sources = new Int32Array(size)
    for (let i = 0; i < ol.length; i++) {
      if (ol[i] === 0) continue
      const j = slotOf(oa[i]!, ob[i]!)
      hashA[j] = oa[i]!
      hashB[j] = ob[i]!
      lines[j] = ol[i]!
      sources[j] = os[i]!
    }
  }
  /** Where the user was first seen, or undefined (and the user is recorded as seen at `line`). */
  const visit = (user: string, line: number, source: number): { readonly line: number; readonly source: number } | undefined => {
    const [a, b] = fingerprint(user)
    const i = slotOf(a, b)
    if (lines[i] !== 0) return { line: lines[i]!, source: sources[i]! }
    hashA[i] = a
    hashB[i] = b
    lines[i] = line
    sources[i] = source
    if (++count * 2 > size) grow()
    return undefined
  }
  return { visit }
}
