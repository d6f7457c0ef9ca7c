/**
 * The reducers a read can feed, named by plain data so that worker threads can make their own and hand back
 * partials that merge: attribution's accumulator, or the report's layer over it.
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import { accumulator, mergePartials } from '../attribution/accumulate'
import type { AttributionPartial, Settings } from '../attribution/model'
import type { Reducer } from '../attribution/read/reducer'
import type { TouchpointError } from '../core/errors'
import { mergeReportPartials, touchpointAccumulator } from '../report/accumulate'
import type { ReportPartial, ReportSettings } from '../report/model'

/** Which reducer, and its settings (structured-clone safe). */
export type ReducerSpec = { readonly _tag: 'attribution'; readonly settings: Settings } | { readonly _tag: 'touchpoint'; readonly settings: ReportSettings }

/** The partial a reducer of that spec gives: the report's carries attribution's one partial inside. */
export type PartialOf<S extends ReducerSpec> = S extends { readonly _tag: 'attribution' } ? AttributionPartial : ReportPartial

/** A fresh reducer for a spec: attribution's accumulator, or the report's layer over that same accumulator. */
export const reducerOf = <S extends ReducerSpec>(spec: S): Reducer<PartialOf<S>> =>
  (spec._tag === 'attribution' ? accumulator(spec.settings) : touchpointAccumulator(spec.settings)) as unknown as Reducer<PartialOf<S>>

/** Two partials of one spec merged, as if reduced together. */
export const mergeOf =
  <S extends ReducerSpec>(spec: S) =>
  (a: PartialOf<S>, b: PartialOf<S>): E.Either<TouchpointError, PartialOf<S>> =>
    (spec._tag === 'attribution'
      ? mergePartials(b as AttributionPartial)(a as AttributionPartial)
      : mergeReportPartials(b as ReportPartial)(a as ReportPartial)) as E.Either<TouchpointError, PartialOf<S>>
