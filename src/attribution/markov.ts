/**
 * Markov-chain attribution, solved exactly. The chain is ChannelAttribution's (order-k sliding windows,
 * consecutive repeats collapsed, transitions weighted by conversions + nulls); instead of simulating walks it
 * solves the absorbing chain: x_s = P(conversion | at s) from x = r + Q x, so results carry no run-to-run noise
 * and no `max_step` truncation bias.
 *
 * Removal effect of channel c: RE_c = 1 - P(conversion | every state containing c redirected to (null)) / P(conversion).
 * Credits: RE_c / Σ RE × total conversions. Value: each state's conversion reward is the mean value of the
 * conversions of paths ending there, VRE_c = 1 - E[reward | c removed] / E[reward], value credit VRE_c / Σ VRE × total value.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { insufficientData, invalidInput, issue, numericalFailure, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { isPartial, partialIssues } from './internal/guards'
import { CONVERSION_STATE, NULL_STATE, START_STATE, type AttributionPartial, type MarkovCounts } from './model'

/**
 * Removal effects and credits per channel (aligned with `AttributionPartial.channels`).
 *
 * @category markov
 * @since 0.1.0
 */
export interface MarkovResult {
  /** P(conversion) from `(start)`. */
  readonly conversionProbability: number
  /** E[conversion value] from `(start)`. */
  readonly expectedValue: number
  readonly removalEffects: ReadonlyArray<number>
  readonly valueRemovalEffects: ReadonlyArray<number>
  readonly conversions: ReadonlyArray<number>
  readonly value: ReadonlyArray<number>
}

/** Dense elimination up to this many states; sparse Gauss-Seidel beyond (order 3 and 4 chains). */
const DENSE_LIMIT = 300
const MAX_SWEEPS = 200_000
const TOLERANCE = 1e-15

interface Chain {
  readonly n: number
  /** CSR rows of Q (transient to transient), probabilities. */
  readonly rowStart: Int32Array
  readonly col: Int32Array
  readonly prob: Float64Array
  readonly reward: Float64Array
  readonly valueReward: Float64Array
  readonly startProb: Float64Array
  /** Outgoing weight of each state. */
  readonly total: Float64Array
}

const buildChain = (m: MarkovCounts): Chain => {
  const n = m.states.length
  const out = new Float64Array(n)
  for (let s = 0; s < n; s++) out[s] = m.conversions[s]! + m.nulls[s]!
  for (const [from, , w] of m.edges) out[from] = out[from]! + w
  const counts = new Int32Array(n + 1)
  for (const [from] of m.edges) counts[from + 1] = counts[from + 1]! + 1
  for (let s = 0; s < n; s++) counts[s + 1] = counts[s + 1]! + counts[s]!
  const col = new Int32Array(m.edges.length)
  const prob = new Float64Array(m.edges.length)
  const fill = counts.slice(0, n)
  for (const [from, to, w] of m.edges) {
    const k = fill[from]!
    fill[from] = k + 1
    col[k] = to
    prob[k] = w / out[from]!
  }
  const reward = new Float64Array(n)
  const valueReward = new Float64Array(n)
  for (let s = 0; s < n; s++) {
    if (out[s]! > 0) {
      reward[s] = m.conversions[s]! / out[s]!
      valueReward[s] = m.value[s]! / out[s]!
    }
  }
  let startTotal = 0
  for (let s = 0; s < n; s++) startTotal += m.start[s]!
  const startProb = new Float64Array(n)
  if (startTotal > 0) for (let s = 0; s < n; s++) startProb[s] = m.start[s]! / startTotal
  return { n, rowStart: counts, col, prob, reward, valueReward, startProb, total: out }
}

/** A solve's result: P(conv) and E[value] from (start), and the per-state solutions x and y. */
interface Solved {
  readonly p: number
  readonly value: number
  readonly x: Float64Array
  readonly y: Float64Array
}

/**
 * Solve x = r + Q x (and the same for the value reward) over the states not removed; removed states have x = 0,
 * i.e. walks reaching them go to (null). Gauss-Seidel starts from `warm` when given (a nearby chain's solution:
 * a bootstrap replicate's chain is close to the point estimate's) and stops when a sweep changes nothing beyond
 * `tolerance` relative.
 */
const solve = (chain: Chain, removed: Uint8Array | undefined, denseLimit: number, tolerance: number, warm?: readonly [Float64Array, Float64Array]): E.Either<TouchpointError, Solved> => {
  const { n, rowStart, col, prob, reward, valueReward, startProb } = chain
  const keep: Array<number> = []
  for (let s = 0; s < n; s++) if (removed === undefined || removed[s] === 0) keep.push(s)
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  if (warm !== undefined) {
    for (const s of keep) {
      x[s] = warm[0][s]!
      y[s] = warm[1][s]!
    }
  }
  if (keep.length <= denseLimit) {
    const k = keep.length
    const pos = new Int32Array(n).fill(-1)
    keep.forEach((s, i) => {
      pos[s] = i
    })
    // (I - Q) restricted to kept states, with two right-hand sides, Gaussian elimination with partial pivoting.
    const w = k + 2
    const a = new Float64Array(k * w)
    for (let i = 0; i < k; i++) {
      const s = keep[i]!
      a[i * w + i] = 1
      for (let e = rowStart[s]!; e < rowStart[s + 1]!; e++) {
        const j = pos[col[e]!]!
        if (j >= 0) a[i * w + j] = a[i * w + j]! - prob[e]!
      }
      a[i * w + k] = reward[s]!
      a[i * w + k + 1] = valueReward[s]!
    }
    for (let c = 0; c < k; c++) {
      let p = c
      for (let r = c + 1; r < k; r++) if (Math.abs(a[r * w + c]!) > Math.abs(a[p * w + c]!)) p = r
      if (Math.abs(a[p * w + c]!) < 1e-300) return E.left(numericalFailure('the Markov chain has a closed cycle that never reaches (conversion) or (null)'))
      if (p !== c) {
        for (let j = c; j < w; j++) {
          const t = a[c * w + j]!
          a[c * w + j] = a[p * w + j]!
          a[p * w + j] = t
        }
      }
      const d = a[c * w + c]!
      for (let r = c + 1; r < k; r++) {
        const f = a[r * w + c]! / d
        if (f === 0) continue
        for (let j = c; j < w; j++) a[r * w + j] = a[r * w + j]! - f * a[c * w + j]!
      }
    }
    for (let c = k - 1; c >= 0; c--) {
      let sx = a[c * w + k]!
      let sy = a[c * w + k + 1]!
      for (let j = c + 1; j < k; j++) {
        sx -= a[c * w + j]! * x[keep[j]!]!
        sy -= a[c * w + j]! * y[keep[j]!]!
      }
      x[keep[c]!] = sx / a[c * w + c]!
      y[keep[c]!] = sy / a[c * w + c]!
    }
  } else {
    // Gauss-Seidel: converges for this substochastic system; stop when a sweep changes nothing at double precision.
    let converged = false
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let change = 0
      let scale = 0
      for (const s of keep) {
        let sx = reward[s]!
        let sy = valueReward[s]!
        for (let e = rowStart[s]!; e < rowStart[s + 1]!; e++) {
          const t = col[e]!
          sx += prob[e]! * x[t]!
          sy += prob[e]! * y[t]!
        }
        change = Math.max(change, Math.abs(sx - x[s]!), Math.abs(sy - y[s]!))
        scale = Math.max(scale, Math.abs(sx), Math.abs(sy))
        x[s] = sx
        y[s] = sy
      }
      if (change <= tolerance * Math.max(scale, 1e-300)) {
        converged = true
        break
      }
    }
    if (!converged) return E.left(numericalFailure(`the Markov chain did not converge in ${MAX_SWEEPS} Gauss-Seidel sweeps`))
  }
  let pConv = 0
  let eValue = 0
  for (let s = 0; s < n; s++) {
    pConv += startProb[s]! * x[s]!
    eValue += startProb[s]! * y[s]!
  }
  return E.right({ p: pConv, value: eValue, x, y })
}

/**
 * The solutions a Markov attribution found, base and one per channel removed (none for a channel without states),
 * to start a nearby chain's solves from.
 *
 * @internal
 */
export interface MarkovVectors {
  readonly base: readonly [Float64Array, Float64Array]
  readonly removed: ReadonlyArray<readonly [Float64Array, Float64Array] | undefined>
}

const optionIssues = (o: unknown): ReadonlyArray<Issue> =>
  !isRecord(o)
    ? [issue('options', 'an object such as { denseLimit: 2000 }', o)]
    : o['denseLimit'] === undefined || (typeof o['denseLimit'] === 'number' && o['denseLimit'] >= 0)
      ? []
      : [issue('options.denseLimit', 'a number of states >= 0', o['denseLimit'])]

/**
 * Removal effects and credits of an order-k chain, exactly. `Left(InsufficientData)` when no journey converts.
 *
 * @example
 * pipe(partial, markovRemovalEffects)
 * // => right({ conversionProbability: 0.60000…, removalEffects: [0.66666…, 0.75, 0.27272…], conversions: [1.18385…, 1.33183…, 0.48430…], … })
 *
 * @category markov
 * @since 0.1.0
 */
export const markovRemovalEffects = (partial: AttributionPartial): E.Either<TouchpointError, MarkovResult> => markovWith({})(partial)

/**
 * `markovRemovalEffects` with solver options: `denseLimit` (default 300) is the number of states up to which
 * the chain is solved by Gaussian elimination; larger chains use Gauss-Seidel sweeps to double precision.
 *
 * @example
 * pipe(partial, markovWith({ denseLimit: 0 })) // always the sparse solver
 *
 * @category markov
 * @since 0.1.0
 */
export const markovWith =
  (options: { readonly denseLimit?: number }) =>
  (partial: AttributionPartial): E.Either<TouchpointError, MarkovResult> =>
    E.map((s: { readonly result: MarkovResult }) => s.result)(markovSolved(options)(partial))

/**
 * `markovWith` that also returns its solutions, and that can start Gauss-Seidel from another chain's (`warm`,
 * whose states must be this partial's: a bootstrap replicate of the same reduction) and stop at a looser
 * `tolerance` (default 1e-15, double precision).
 *
 * @internal
 */
export const markovSolved =
  (options: { readonly denseLimit?: number; readonly tolerance?: number; readonly warm?: MarkovVectors }) =>
  (partial: AttributionPartial): E.Either<TouchpointError, { readonly result: MarkovResult; readonly vectors: MarkovVectors }> => {
  const bad = [...optionIssues(options), ...partialIssues(partial, 'partial')]
  if (bad.length > 0) return E.left(invalidInput(bad))
  const denseLimit = options.denseLimit ?? DENSE_LIMIT
  const tolerance = options.tolerance ?? TOLERANCE
  const warm = options.warm
  const m = partial.markov
  const nc = partial.channels.length
  if (partial.totals.conversions <= 0) return E.left(insufficientData('the Markov model needs at least one conversion'))
  const chain = buildChain(m)
  const base = solve(chain, undefined, denseLimit, tolerance, warm?.base)
  if (E.isLeft(base)) return base
  const { p, value: ev } = base.right
  if (!(p > 0)) return E.left(insufficientData('no path of the Markov chain reaches (conversion)'))
  // States per channel: a state belongs to every channel it contains.
  const statesOf: Array<Array<number>> = Array.from({ length: nc }, () => [])
  m.states.forEach((w, s) => {
    const seen = new Set<number>()
    for (const c of w) if (!seen.has(c)) {
      seen.add(c)
      statesOf[c]!.push(s)
    }
  })
  const removalEffects: Array<number> = []
  const valueRemovalEffects: Array<number> = []
  const vectors: Array<readonly [Float64Array, Float64Array] | undefined> = []
  const removed = new Uint8Array(m.states.length)
  for (let c = 0; c < nc; c++) {
    const own = statesOf[c]!
    if (own.length === 0) {
      removalEffects.push(0)
      valueRemovalEffects.push(0)
      vectors.push(undefined)
      continue
    }
    removed.fill(0)
    for (const s of own) removed[s] = 1
    const r = solve(chain, removed, denseLimit, tolerance, warm?.removed[c])
    if (E.isLeft(r)) return r
    const { p: pc, value: evc } = r.right
    vectors.push([r.right.x, r.right.y])
    // Clamp float noise: removing states can only lower absorption into (conversion).
    removalEffects.push(Math.min(1, Math.max(0, 1 - pc / p)))
    valueRemovalEffects.push(ev > 0 ? Math.min(1, Math.max(0, 1 - evc / ev)) : 0)
  }
  const sumRe = removalEffects.reduce((s, x) => s + x, 0)
  const sumVre = valueRemovalEffects.reduce((s, x) => s + x, 0)
  const conversions = removalEffects.map((re) => (sumRe > 0 ? (re / sumRe) * partial.totals.conversions : 0))
  const value = valueRemovalEffects.map((re) => (sumVre > 0 ? (re / sumVre) * partial.totals.value : 0))
  return E.right({ result: { conversionProbability: p, expectedValue: ev, removalEffects, valueRemovalEffects, conversions, value }, vectors: { base: [base.right.x, base.right.y], removed: vectors } })
  }

/**
 * A state's name: its channels joined by ` > ` (`search > email` at order 2), or `(start)`, `(conversion)`, `(null)`.
 *
 * @category markov
 * @since 0.1.0
 */
export interface Transition {
  readonly from: string
  readonly to: string
  readonly probability: number
}

/**
 * The fitted transition matrix by state name, row by row (only non-zero transitions), as ChannelAttribution's
 * `out_more = TRUE` gives it but with names instead of integer codes.
 *
 * @example
 * transitionMatrix(partial)
 * // => [{ from: '(start)', to: 'search', probability: 0.6 }, { from: '(start)', to: 'email', probability: 0.2 }, …]
 *
 * @category markov
 * @since 0.1.0
 */
export const transitionMatrix = (partial: AttributionPartial): ReadonlyArray<Transition> => {
  if (!isPartial(partial)) return []
  const m = partial.markov
  const name = (s: number) => m.states[s]!.map((c) => partial.channels[c]!).join(' > ')
  const chain = buildChain(m)
  const out: Array<Transition> = []
  for (let s = 0; s < chain.n; s++) if (chain.startProb[s]! > 0) out.push({ from: START_STATE, to: name(s), probability: chain.startProb[s]! })
  for (let s = 0; s < chain.n; s++) {
    const total = chain.total[s]!
    for (let e = chain.rowStart[s]!; e < chain.rowStart[s + 1]!; e++) out.push({ from: name(s), to: name(chain.col[e]!), probability: chain.prob[e]! })
    if (m.conversions[s]! > 0) out.push({ from: name(s), to: CONVERSION_STATE, probability: m.conversions[s]! / total })
    if (m.nulls[s]! > 0) out.push({ from: name(s), to: NULL_STATE, probability: m.nulls[s]! / total })
  }
  return out
}
