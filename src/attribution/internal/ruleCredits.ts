/**
 * The accumulator's rule-based credits: per rule model, conversions and value summed per channel. One of the
 * accumulator's parts (with `setCounts` and `chainCounts`), each owning its state behind add/absorb/snapshot.
 *
 * @internal
 * @module
 */
import type { AttributionPartial, CreditSums, RuleModel, Settings } from '../model'
import { RULE_MODELS } from '../model'
import { exactRatios } from './exactRatios'
import type { JourneyTrace } from './journeyTrace'
import { positionalWeights, writeTimeDecay } from './weights'

const FIRST = 0
const LAST = 1
const LAST_NON_DIRECT = 2
const LINEAR = 3
const POSITION = 4
const TIME_DECAY = 5

/** @internal */
export interface RuleCredits {
  /** A new channel (the next index), with no credit yet. */
  readonly addChannel: (name: string) => void
  /** Credits a journey with conversions or value (the caller checks) to the channels of `path[0..n)`. */
  readonly add: (path: ArrayLike<number>, n: number, c: number, v: number, times?: ReadonlyArray<number>) => void
  /** Adds a partial's credits, its channel `j` being channel `map[j]` here. */
  readonly absorb: (p: AttributionPartial, map: ReadonlyArray<number>) => void
  readonly snapshot: () => Record<RuleModel, CreditSums>
}

/** @internal Rule credits under `settings` (checked); `add` writes `trace.lastNonDirect`. */
export const ruleCredits = (settings: Settings, trace: JourneyTrace): RuleCredits => {
  const isDirect: Array<boolean> = []
  const direct = new Set(settings.direct.map((d) => d.toLowerCase()))
  const conv: Array<Array<number>> = RULE_MODELS.map(() => [])
  const val: Array<Array<number>> = RULE_MODELS.map(() => [])
  const position = exactRatios(settings.position)
  // Scratch buffers reused across journeys.
  const weights: Array<number> = []
  const ends = { first: 0, middle: 0, last: 0 }

  const addChannel = (name: string): void => {
    isDirect.push(direct.has(name.toLowerCase()))
    for (let m = 0; m < conv.length; m++) {
      conv[m]!.push(0)
      val[m]!.push(0)
    }
  }

  const add = (path: ArrayLike<number>, n: number, c: number, v: number, times?: ReadonlyArray<number>): void => {
    const first = path[0]!
    const last = path[n - 1]!
    conv[FIRST]![first] = conv[FIRST]![first]! + c
    val[FIRST]![first] = val[FIRST]![first]! + v
    conv[LAST]![last] = conv[LAST]![last]! + c
    val[LAST]![last] = val[LAST]![last]! + v
    let lnd = n - 1
    for (let i = n - 1; i >= 0; i--) {
      if (!isDirect[path[i]!]) {
        lnd = i
        break
      }
    }
    trace.lastNonDirect = lnd
    conv[LAST_NON_DIRECT]![path[lnd]!] = conv[LAST_NON_DIRECT]![path[lnd]!]! + c
    val[LAST_NON_DIRECT]![path[lnd]!] = val[LAST_NON_DIRECT]![path[lnd]!]! + v
    const lc = c / n
    const lv = v / n
    const linC = conv[LINEAR]!
    const linV = val[LINEAR]!
    // The first, middle and last weights, the same numbers `writePositional` writes touch by touch: no array
    // of weights (a path of millions of touches grew one to its length).
    positionalWeights(position, n, ends)
    const wFirst = ends.first
    const wMiddle = ends.middle
    const wLast = ends.last
    const posC = conv[POSITION]!
    const posV = val[POSITION]!
    // Linear and positional in one pass (each channel's sums still grow touch by touch, in path order).
    for (let i = 0; i < n; i++) {
      const ch = path[i]!
      const wi = i === 0 ? wFirst : i === n - 1 ? wLast : wMiddle
      linC[ch] = linC[ch]! + lc
      linV[ch] = linV[ch]! + lv
      posC[ch] = posC[ch]! + wi * c
      posV[ch] = posV[ch]! + wi * v
    }
    if (times !== undefined) {
      writeTimeDecay(settings.halfLifeMs, times, weights)
      const tdC = conv[TIME_DECAY]!
      const tdV = val[TIME_DECAY]!
      for (let i = 0; i < n; i++) {
        tdC[path[i]!] = tdC[path[i]!]! + weights[i]! * c
        tdV[path[i]!] = tdV[path[i]!]! + weights[i]! * v
      }
    }
  }

  const absorb = (p: AttributionPartial, map: ReadonlyArray<number>): void => {
    RULE_MODELS.forEach((m, i) => {
      const sums = p.rules[m]
      sums.conversions.forEach((x, j) => {
        conv[i]![map[j]!] = conv[i]![map[j]!]! + x
      })
      sums.value.forEach((x, j) => {
        val[i]![map[j]!] = val[i]![map[j]!]! + x
      })
    })
  }

  const snapshot = (): Record<RuleModel, CreditSums> => {
    const rules = {} as Record<RuleModel, CreditSums>
    RULE_MODELS.forEach((m, i) => {
      rules[m] = { conversions: conv[i]!.slice(), value: val[i]!.slice() }
    })
    return rules
  }

  return { addChannel, add, absorb, snapshot }
}
