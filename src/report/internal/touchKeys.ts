/**
 * The bootstrap's touch keys (channel, journey length, role): each key's counter slot, in first-seen order, as the
 * replicate layer (`../bootstrap.ts`) adds conversions to them and the snapshot lists them.
 *
 * @internal
 * @module
 */
import type { TouchRole } from '../model'

/** Entries of the dense table at most (4 MB). */
export const DENSE_KEYS = 1 << 20

/**
 * Keys and their slots: `slot(ch, n, role)` is the key's slot, a new one (the next) the first time; `channels`,
 * `lengths`, `roles` list the keys by slot.
 *
 * @internal
 */
export interface TouchKeys {
  readonly slot: (ch: number, n: number, role: TouchRole) => number
  readonly channels: ReadonlyArray<number>
  readonly lengths: ReadonlyArray<number>
  readonly roles: ReadonlyArray<TouchRole>
}

/**
 * A dense Int32Array `index[(n * width + ch) * 3 + role]` (the key's slot + 1, 0: none yet) for n < `lengths` and
 * ch < `width`, widened and refilled from the key lists when a journey is longer or a channel new, up to
 * `denseKeys` entries; keys past it (journeys of many thousand touches, or as many channels) by length apart,
 * `sparse[n][3 * ch + role]`. One read a key, where an array per length took two and a hole check.
 *
 * @internal
 */
export const touchKeys = (denseKeys: number = DENSE_KEYS): TouchKeys => {
  let width = 16
  let lengths = 64
  let index = new Int32Array(lengths * width * 3)
  const sparse: Array<Array<number>> = []
  const channels: Array<number> = []
  const lengthOf: Array<number> = []
  const roles: Array<TouchRole> = []

  /** Widens the dense table to hold (n, ch) if it can within `denseKeys`; true if it holds it. */
  const widen = (ch: number, n: number): boolean => {
    let w = width
    let l = lengths
    while (w <= ch) w *= 2
    while (l <= n) l *= 2
    if (w * l * 3 > denseKeys) return false
    width = w
    lengths = l
    index = new Int32Array(l * w * 3)
    for (let k = 0; k < channels.length; k++) {
      if (lengthOf[k]! < l && channels[k]! < w) index[(lengthOf[k]! * w + channels[k]!) * 3 + roles[k]!] = k + 1
    }
    return true
  }

  const add = (ch: number, n: number, role: TouchRole): number => {
    const slot = channels.length
    channels.push(ch)
    lengthOf.push(n)
    roles.push(role)
    return slot
  }

  const slot = (ch: number, n: number, role: TouchRole): number => {
    if ((n < lengths && ch < width) || widen(ch, n)) {
      const at = (n * width + ch) * 3 + role
      const found = index[at]!
      if (found > 0) return found - 1
      const made = add(ch, n, role)
      index[at] = made + 1
      return made
    }
    let byLength = sparse[n]
    if (byLength === undefined) {
      byLength = []
      sparse[n] = byLength
    }
    const cell = 3 * ch + role
    const found = byLength[cell]
    if (found !== undefined && found > 0) return found - 1
    const made = add(ch, n, role)
    byLength[cell] = made + 1
    return made
  }

  return { slot, channels, lengths: lengthOf, roles }
}
