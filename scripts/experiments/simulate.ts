/**
 * A seeded simulation of an experiment's raw logs, with planted effects whose true values are known in closed
 * form: the committed generator behind examples/experiment-*.csv, the statistical tests (interval coverage, A/A
 * rejection rates) and benchmarks/analysis.bench.ts.
 *
 * Model. Unit u has a purchase rate λ_u ~ Gamma(shape k, scale θ) per day and a value scale μ_u (log-normal
 * purchase values with log-mean μ_u and log-sd σ): both persist from before to after exposure, which is what
 * CUPED exploits. Purchases are a Poisson process at λ_u before exposure and λ_u·(1 + rateLift_v) after it; values
 * are multiplied by (1 + valueLift_v) after exposure. Page views (noise for every metric) arrive at `pageViews` a
 * day. Each unit is exposed at a uniform time over `days`, re-exposed to its variant with probability
 * `reexposed`, and to another variant as well with probability `crossed` (those units are excluded).
 *
 * True lifts (relative, treatment over control) for a window of w days fully observed:
 * - units with any purchase (binomial): P = 1 − (1 + w(1 + r)θ)^(−k), so lift = P_t / P_c − 1;
 * - purchases (count) and revenue (sum): (1 + r_t)/(1 + r_c) − 1 and (1 + r_t)(1 + v_t)/((1 + r_c)(1 + v_c)) − 1;
 * - revenue per purchase (ratio): (1 + v_t)/(1 + v_c) − 1.
 */
import alea from 'seedrandom/lib/alea.js'

export const DAY_MS = 86_400_000

export interface SimulatedVariant {
  readonly name: string
  readonly weight: number
  readonly rateLift: number
  readonly valueLift: number
}

export interface Scenario {
  readonly experiment: string
  readonly units: number
  readonly variants: ReadonlyArray<SimulatedVariant>
  /** First exposure day (UTC midnight, ms). */
  readonly start: number
  /** Exposures spread over this many days. */
  readonly days: number
  /** Events are logged from this many days before a unit's exposure ... */
  readonly preDays: number
  /** ... to this many days after it. */
  readonly postDays: number
  readonly shape: number
  readonly scale: number
  readonly valueLogMean: number
  readonly valueLogSd: number
  /** Spread (sd) of the per-unit log value scale. */
  readonly unitValueSd: number
  readonly pageViews: number
  readonly reexposed: number
  readonly crossed: number
  readonly countries: ReadonlyArray<string>
}

export const DEFAULT_SCENARIO: Scenario = {
  experiment: 'checkout-button',
  units: 2000,
  variants: [
    { name: 'control', weight: 0.5, rateLift: 0, valueLift: 0 },
    { name: 'green', weight: 0.5, rateLift: 0.1, valueLift: 0.05 },
  ],
  start: Date.UTC(2026, 0, 5),
  days: 14,
  preDays: 14,
  postDays: 14,
  shape: 0.6,
  scale: 0.08,
  valueLogMean: 3.4,
  valueLogSd: 0.6,
  unitValueSd: 0.5,
  pageViews: 1,
  reexposed: 0.3,
  crossed: 0.01,
  countries: ['DE', 'FR', 'GB', 'US'],
}

export interface SimExposure {
  readonly unit: string
  readonly experiment: string
  readonly variant: string
  readonly time: number
  readonly country: string
}

export interface SimEvent {
  readonly unit: string
  readonly time: number
  readonly event: string
  readonly value: number | undefined
}

type Random = () => number

const normal = (random: Random): number => {
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** Gamma(shape, 1) by Marsaglia and Tsang (boosted for shape < 1). */
const gamma = (random: Random, shape: number): number => {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(1 - random(), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normal(random)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = 1 - random()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

/** Arrival times of a Poisson process at `perDay` over [from, to). */
const arrivals = (random: Random, perDay: number, from: number, to: number, out: (t: number) => void): void => {
  if (!(perDay > 0)) return
  const rate = perDay / DAY_MS
  for (let t = from - Math.log(1 - random()) / rate; t < to; t -= Math.log(1 - random()) / rate) out(Math.round(t))
}

/**
 * Unit by unit: its exposures and its events (events of a unit come in no particular order relative to its
 * exposures). Deterministic for a seed.
 */
export function* simulate(scenario: Scenario, seed: string): Generator<{ readonly exposures: ReadonlyArray<SimExposure>; readonly events: ReadonlyArray<SimEvent> }> {
  const random = alea(seed) as Random
  const s = scenario
  const totalWeight = s.variants.reduce((a, v) => a + v.weight, 0)
  for (let i = 0; i < s.units; i++) {
    const unit = `u${i.toString(36).padStart(5, '0')}`
    let pick = random() * totalWeight
    let vi = 0
    while (vi < s.variants.length - 1 && pick >= s.variants[vi]!.weight) pick -= s.variants[vi++]!.weight
    const variant = s.variants[vi]!
    const t0 = s.start + Math.floor(random() * s.days * DAY_MS)
    const country = s.countries[Math.floor(random() * s.countries.length)]!
    const exposures: Array<SimExposure> = [{ unit, experiment: s.experiment, variant: variant.name, time: t0, country }]
    if (random() < s.reexposed) exposures.push({ unit, experiment: s.experiment, variant: variant.name, time: t0 + Math.floor(random() * 3 * DAY_MS), country })
    if (random() < s.crossed) {
      const other = s.variants[(vi + 1) % s.variants.length]!
      exposures.push({ unit, experiment: s.experiment, variant: other.name, time: t0 + Math.floor(random() * 5 * DAY_MS), country })
    }
    const rate = gamma(random, s.shape) * s.scale
    const unitMean = s.valueLogMean + s.unitValueSd * normal(random)
    const events: Array<SimEvent> = []
    const value = (lift: number) => Math.round(Math.exp(unitMean + s.valueLogSd * normal(random)) * (1 + lift) * 100) / 100
    const from = t0 - s.preDays * DAY_MS
    const to = t0 + s.postDays * DAY_MS
    arrivals(random, rate, from, t0, (t) => events.push({ unit, time: t, event: 'purchase', value: value(0) }))
    arrivals(random, rate * (1 + variant.rateLift), t0, to, (t) => events.push({ unit, time: t, event: 'purchase', value: value(variant.valueLift) }))
    arrivals(random, s.pageViews, from, to, (t) => events.push({ unit, time: t, event: 'page_view', value: undefined }))
    yield { exposures, events }
  }
}

/** The true relative lifts of `treatment` over `control` (see the module comment), for a window of `w` days. */
export const trueLifts = (s: Scenario, control: SimulatedVariant, treatment: SimulatedVariant, windowDays: number) => {
  const p = (v: SimulatedVariant) => 1 - Math.pow(1 + windowDays * (1 + v.rateLift) * s.scale, -s.shape)
  return {
    binomial: p(treatment) / p(control) - 1,
    count: (1 + treatment.rateLift) / (1 + control.rateLift) - 1,
    sum: ((1 + treatment.rateLift) * (1 + treatment.valueLift)) / ((1 + control.rateLift) * (1 + control.valueLift)) - 1,
    ratio: (1 + treatment.valueLift) / (1 + control.valueLift) - 1,
  }
}
