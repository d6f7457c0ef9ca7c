/**
 * The reducers a read can feed, named by plain data so that worker threads can make their own and hand back
 * partials that merge: attribution's accumulator, or attribution's and the report's fed from the same journeys.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { accumulator, mergePartials } from '../attribution/accumulate'
import type { AttributionPartial, Settings } from '../attribution/model'
import type { Reducer } from '../attribution/read/reducer'
import type { TouchpointError } from '../core/errors'
import { mergeReportPartials, reportAccumulator, type Partials } from '../report/accumulate'
import type { ReportSettings } from '../report/model'

/** Which reducer, and its settings (structured-clone safe). */
export type ReducerSpec = { readonly _tag: 'attribution'; readonly settings: Settings } | { readonly _tag: 'touchpoint'; readonly settings: ReportSettings }

/** The partial a reducer of that spec gives. */
export type PartialOf<S extends ReducerSpec> = S extends { readonly _tag: 'attribution' } ? AttributionPartial : Partials

/**
 * Attribution's accumulator and the report's fed from the same journeys, one channel table per accumulator
 * (the report's indexes mapped from attribution's as channels appear). Unlike `touchpointAccumulator`, event
 * journeys hand the report their conversion time, which time to conversion needs.
 */
const touchpointReducer = (settings: ReportSettings): Reducer<Partials> => {
  const attribution = accumulator(settings.attribution)
  const report = reportAccumulator(settings)
  const toReport: Array<number> = []
  const mapped: Array<number> = []
  return {
    channelIndex: (name) => {
      const i = attribution.channelIndex(name)
      if (toReport[i] === undefined) toReport[i] = report.channelIndex(name)
      return i
    },
    addIndexed: (channels, n, c, v, u, times, conversionTime) => {
      attribution.addIndexed(channels, n, c, v, u, times)
      for (let i = 0; i < n; i++) mapped[i] = toReport[channels[i]!]!
      report.addIndexed(mapped, n, c, v, u, times, conversionTime)
    },
    countRows: attribution.countRows,
    snapshot: () => ({ attribution: attribution.snapshot(), report: report.snapshot() }),
  }
}

/** A fresh reducer for a spec. */
export const reducerOf = <S extends ReducerSpec>(spec: S): Reducer<PartialOf<S>> =>
  (spec._tag === 'attribution' ? accumulator(spec.settings) : touchpointReducer(spec.settings)) as unknown as Reducer<PartialOf<S>>

/** Two partials of one spec merged, as if reduced together. */
export const mergeOf =
  <S extends ReducerSpec>(spec: S) =>
  (a: PartialOf<S>, b: PartialOf<S>): E.Either<TouchpointError, PartialOf<S>> => {
    if (spec._tag === 'attribution') return pipe(a as AttributionPartial, mergePartials(b as AttributionPartial)) as E.Either<TouchpointError, PartialOf<S>>
    const x = a as Partials
    const y = b as Partials
    return pipe(
      E.Do,
      E.apS('attribution', pipe(x.attribution, mergePartials(y.attribution))),
      E.apS('report', pipe(x.report, mergeReportPartials(y.report))),
    ) as E.Either<TouchpointError, PartialOf<S>>
  }
