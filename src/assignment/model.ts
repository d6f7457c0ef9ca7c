/**
 * The decoded, trusted form of an experiment config, and the results of assigning a unit.
 *
 * An `Assigner` is built once (from touchpoint's JSON config, or from a GrowthBook or Optimizely export) and is
 * then read-only. Every hashing scheme, native or compatible, is expressed with the same two parts, so one
 * `assign` serves them all and a bundle only carries the schemes it imports:
 *
 * - a `Split`: hash the unit id into an integer bucket, then map the bucket to a variant (or to none);
 * - `Gate`s: hash the unit id (own seed) and admit or exclude it, with the reason reported when excluded.
 *
 * @module
 */

/**
 * A unit attribute value: ids are strings or numbers; targeting also reads booleans.
 *
 * @category model
 * @since 0.1.0
 */
export type AttributeValue = string | number | boolean | null | undefined

/**
 * The unit being assigned: its ids (`userId`, `deviceId`, `accountId`...) and any attributes targeting reads.
 *
 * @example
 * const unit: Unit = { userId: 'u-123', country: 'DE', plan: 'pro', age: 34 }
 *
 * @category model
 * @since 0.1.0
 */
export type Unit = Readonly<Record<string, AttributeValue>>

/**
 * One targeting condition on a unit attribute. All conditions of an experiment must hold.
 *
 * - `equals`: the attribute equals the value (strict: `"1"` is not `1`).
 * - `in`: the attribute is one of the values.
 * - `range`: the attribute is a finite number within the bounds given (`gte`, `gt`, `lte`, `lt`).
 * - `notIn`: the attribute is present and none of the values.
 *
 * @category model
 * @since 0.1.0
 */
export type Condition =
  | { readonly _tag: 'equals'; readonly attribute: string; readonly value: string | number | boolean }
  | { readonly _tag: 'in'; readonly attribute: string; readonly values: ReadonlySet<string | number | boolean> }
  | { readonly _tag: 'notIn'; readonly attribute: string; readonly values: ReadonlySet<string | number | boolean> }
  | {
      readonly _tag: 'range'
      readonly attribute: string
      readonly gte?: number
      readonly gt?: number
      readonly lte?: number
      readonly lt?: number
    }

/**
 * A unit id hashed into one of `size` integer buckets. `seed` names the hash: two parts with the same `seed` and
 * `size` put every unit in the same bucket (this is what `previewChange` relies on).
 *
 * @category model
 * @since 0.1.0
 */
export interface Hashing {
  readonly seed: string
  readonly size: number
  readonly bucket: (unitId: string) => number
  /**
   * The bucket as the platform of this hashing reports it, when that is not the integer bucket itself:
   * GrowthBook reports `bucket / size` (its `hash()` value, 0.2435), Unleash its 1-based `normalizedValue`.
   * Absent for touchpoint's native hash and Optimizely, whose integer bucket is the reported one.
   */
  readonly reported?: (bucket: number) => number
}

/**
 * Why a unit is kept out of an experiment.
 *
 * @category model
 * @since 0.1.0
 */
export type NotEnrolledReason =
  /** The config has no experiment with this key. */
  | 'unknown-experiment'
  /** The experiment is a draft or stopped. */
  | 'inactive'
  /** The unit has no usable value for the experiment's unit attribute. */
  | 'missing-unit'
  /** A targeting condition does not hold. */
  | 'targeting'
  /** The unit is in a global or layer holdout. */
  | 'holdout'
  /** The unit's layer bucket belongs to another experiment of the layer (or to none). */
  | 'layer'
  /** The unit falls outside the experiment's coverage. */
  | 'coverage'

/**
 * A check by hash that admits or excludes a unit: a holdout, a layer allocation, a namespace, coverage.
 *
 * @category model
 * @since 0.1.0
 */
export interface Gate {
  readonly reason: 'holdout' | 'layer' | 'coverage'
  /**
   * The unit attribute this gate hashes, when it is not the experiment's own (a global holdout keyed on
   * `userId` over a `deviceId` experiment).
   */
  readonly attribute: string | undefined
  /**
   * What a unit without a usable value for `attribute` gets: `false` lets it pass (a `userId` holdout does not
   * shut logged-out visitors out of device experiments), `true` excludes it (GrowthBook's filters do).
   */
  readonly required: boolean
  readonly hashing: Hashing
  readonly admits: (bucket: number) => boolean
}

/**
 * How a unit's bucket maps to a variant: `variantAt(bucket)` is a variant index, or -1 for a bucket no variant
 * owns (compatibility modes fold coverage into the ranges; the unit is then reported as out of coverage).
 *
 * @category model
 * @since 0.1.0
 */
export interface Split {
  readonly hashing: Hashing
  readonly variantAt: (bucket: number) => number
}

/**
 * A value a variant carries (a feature flag's `true`, `"blue"`, `42` or a JSON payload): JSON, finite numbers.
 *
 * @category model
 * @since 0.1.0
 */
export type VariantValue = null | boolean | number | string | ReadonlyArray<VariantValue> | { readonly [key: string]: VariantValue }

/**
 * The one type of an experiment's variant values: `json` is any JSON value (objects, arrays, null, or a mix).
 *
 * @category model
 * @since 0.1.0
 */
export type ValueType = 'boolean' | 'number' | 'string' | 'json'

/**
 * An experiment's lifecycle: `draft` and `stopped` enrol nobody (overrides aside).
 *
 * @category model
 * @since 0.1.0
 */
export type Status = 'draft' | 'running' | 'stopped'

/**
 * One decoded experiment, ready to assign.
 *
 * @category model
 * @since 0.1.0
 */
export interface Experiment {
  readonly key: string
  readonly status: Status
  /** Which unit attribute is hashed: `userId`, `deviceId`, `accountId`... */
  readonly unit: string
  /** Variant keys, in order. */
  readonly variants: ReadonlyArray<string>
  /** The value each variant carries, in order, all of `valueType`; `undefined` when the variants carry none. */
  readonly values: ReadonlyArray<VariantValue> | undefined
  readonly valueType: ValueType | undefined
  /** The designed split: the share of enrolled units each variant should get (sums to 1). */
  readonly weights: ReadonlyArray<number>
  /** Share of eligible units enrolled. */
  readonly coverage: number
  /** Names the hashing scheme: `tp1` (native), `growthbook-v1`, `growthbook-v2`, `optimizely`, `unleash`. */
  readonly hashVersion: string
  readonly layer: string | undefined
  /** Stored sticky assignments of another bucket version are ignored: bump it to re-randomise everyone. */
  readonly bucketVersion: number
  readonly targeting: ReadonlyArray<Condition>
  /** Unit id -> variant index, applied before every other rule (for QA). */
  readonly overrides: ReadonlyMap<string, number>
  /** Checked in order after targeting. */
  readonly gates: ReadonlyArray<Gate>
  readonly split: Split
}

/**
 * A decoded config: experiments by key, in config order. Build one with `decodeConfig`, `fromGrowthBook` or
 * `fromOptimizelyDatafile`; assigning with it cannot fail.
 *
 * @category model
 * @since 0.1.0
 */
export interface Assigner {
  readonly _tag: 'Assigner'
  /** The config's own version label, if it has one; copied into exposures. */
  readonly version: string | undefined
  readonly experiments: ReadonlyArray<Experiment>
  readonly byKey: ReadonlyMap<string, Experiment>
}

/**
 * A unit in an experiment: which variant it sees and why.
 *
 * @category model
 * @since 0.1.0
 */
export interface Enrolled {
  readonly _tag: 'Enrolled'
  readonly experiment: string
  readonly variant: string
  readonly variantIndex: number
  /** The variant's value, `undefined` when the experiment's variants carry none. */
  readonly value: VariantValue | undefined
  /**
   * The unit's bucket as its hash version's platform reports it, -1 when an override, a sticky assignment or
   * GrowthBook's `force` decided: `tp1` and `optimizely` an integer in [0, 9999]; `growthbook-v2` GrowthBook's `hash()` value, a
   * float in [0, 1) with 4 decimals (`result.bucket`, 0.2435), `growthbook-v1` with 3; `unleash` the SDK's
   * `normalizedValue`, an integer in [1, N]. Compare buckets only within one `hashVersion`.
   */
  readonly bucket: number
  readonly hashVersion: string
  /** The unit attribute hashed, and its value. */
  readonly unit: string
  readonly unitId: string
  /** An override put the unit here. */
  readonly override: boolean
  /** A stored sticky assignment put the unit here. */
  readonly sticky: boolean
}

/**
 * A unit kept out of an experiment, with the reason.
 *
 * @category model
 * @since 0.1.0
 */
export interface NotEnrolled {
  readonly _tag: 'NotEnrolled'
  readonly experiment: string
  readonly reason: NotEnrolledReason
  readonly unit: string
  /** `undefined` when the unit has no usable id (`reason: 'missing-unit'`). */
  readonly unitId: string | undefined
}

/**
 * The result of assigning one unit to one experiment.
 *
 * @category model
 * @since 0.1.0
 */
export type Assignment = Enrolled | NotEnrolled
