/**
 * What differs between SQL engines, as one small table of functions per dialect (GrowthBook's `SqlIntegration`
 * keeps a base query and lets each engine override a handful of helpers; Kysely splits a dialect into a query
 * compiler, an adapter and a driver). The attribution query is written once against this interface
 * (`compileAttribution`); a dialect only says how to quote, split, explode with position, index, aggregate
 * arrays and do date arithmetic in its SQL.
 *
 * Every function takes SQL text and returns SQL text. Arguments are already-safe SQL (quoted identifiers,
 * escaped literals, expressions built from them); the functions that take user text (`ident`, `string`) are the
 * only places where text enters the query.
 *
 * @module
 */

/**
 * The dialects `touchpoint/sql` writes.
 *
 * @category dialect
 * @since 0.2.0
 */
export type DialectName = 'duckdb' | 'postgres' | 'clickhouse' | 'bigquery' | 'snowflake' | 'databricks' | 'trino' | 'redshift'

/**
 * @category dialect
 * @since 0.2.0
 */
export const DIALECT_NAMES: ReadonlyArray<DialectName> = ['duckdb', 'postgres', 'clickhouse', 'bigquery', 'snowflake', 'databricks', 'trino', 'redshift']

/**
 * Row-wise array functions with lambdas, where the engine has them (DuckDB, ClickHouse, Spark, Trino). Aggregated
 * paths are then summarised per row from their split path (no regrouping of exploded touches, so nothing of the
 * size of the input waits in an aggregate's memory).
 *
 * @category dialect
 * @since 0.2.0
 */
export interface ListFunctions {
  /** `[f(x) for x in array]`. */
  readonly map: (array: string, f: (x: string) => string) => string
  /** True when some element satisfies `p`. */
  readonly some: (array: string, p: (x: string) => string) => string
  /** The 1-based position of the last element satisfying `p`, 0 when none does. */
  readonly lastIndex: (array: string, p: (x: string) => string) => string
  /** The distinct elements of an array of strings, sorted, joined by the literal `separator`. */
  readonly sortedDistinct: (array: string, separator: string) => string
}

/**
 * Bit operations on 64-bit integers, where the engine has an aggregate bitwise OR that needs no list (DuckDB,
 * PostgreSQL). A journey's channel set is then one integer (`journeysByChannelSets.ts`), so the channel-set models
 * need no ordered list per journey either.
 *
 * @category dialect
 * @since 0.2.0
 */
export interface SetMaskFunctions {
  /** Aggregate (and window aggregate): the bitwise OR of the 64-bit integers `x`. */
  readonly bitOr: (x: string) => string
  /** The 64-bit integer with only bit `i` (0-based, an integer expression below 63) set. */
  readonly bit: (i: string) => string
  /** A condition: bit `i` of the 64-bit integer `mask` is set. */
  readonly hasBit: (mask: string, i: string) => string
  /** The integer text `text` (a cast of `text(mask)`) read back as a 64-bit integer; NULL (no error) for other text. */
  readonly toMask: (text: string) => string
  /** An expression that raises an error with the literal `message` when evaluated. */
  readonly fail: (message: string) => string
  /** Written after `name AS` in a common table expression so that it is computed once (`MATERIALIZED `), or ''. */
  readonly materialized: string
}

/**
 * A dialect: how its SQL spells the few things the attribution query needs.
 *
 * - `journeys`: how event rows become journeys. `windows`: running sums over `OVER (PARTITION BY ... ORDER BY ...)`;
 *   `arrays`: each user's events gathered into a sorted array and cut with array functions (ClickHouse before 21.x
 *   has no window functions).
 * - `inlineSource`: the normalised columns are computed in the first aggregation itself (aliases visible in the
 *   same SELECT), so that on a ClickHouse `Distributed` table that aggregation runs on every shard.
 *
 * @category dialect
 * @since 0.2.0
 */
export interface Dialect {
  readonly name: DialectName
  readonly journeys: 'windows' | 'arrays'
  /**
   * Window form only: event journeys stay one row per touch, read with `LEAD`/`LAG`, unless a model needs channel
   * sets (no ordered list per journey, which an engine may have to hold in memory). The form reads a journey's
   * anchor from its end row (journeysByTouches.ts): with `argMin` over the rows ahead, else per journey once its
   * number is known (one window pass more).
   */
  readonly touchesByWindows?: boolean
  /**
   * Aggregate (and window aggregate over a frame): the `x` of the row of least `key`, rows with a NULL key left out
   * (DuckDB's `arg_min`). PostgreSQL has neither it nor `first_value(x IGNORE NULLS)`.
   */
  readonly argMin?: (x: string, key: string) => string
  /**
   * With `touchesByWindows`: the channel-set models (participation, Shapley) read each journey's set as a bitmask
   * of at most 63 channels, in one row per touch too (`journeysByChannelSets.ts`); absent, they need the per-journey
   * form with its lists.
   */
  readonly setMasks?: SetMaskFunctions
  /** Row-wise array functions, when the engine has lambdas. */
  readonly lists?: ListFunctions
  readonly inlineSource: boolean
  /** A validated identifier part, quoted. */
  readonly ident: (part: string) => string
  /** A validated dotted table name (`project.dataset.table`), quoted. */
  readonly table: (parts: ReadonlyArray<string>) => string
  /** A string literal holding exactly `text`, whatever it contains. */
  readonly string: (text: string) => string
  /** A finite double, typed as a double (never a fixed-point decimal). */
  readonly double: (x: number) => string
  /** `CAST(x AS <text type>)`. */
  readonly text: (x: string) => string
  /** `CAST(x AS <double type>)`. */
  readonly toDouble: (x: string) => string
  /** The array of the parts of `text` between occurrences of `separator` (raw text, read literally: not a pattern). */
  readonly split: (text: string, separator: string) => string
  /** Element `i` (1-based, an integer expression) of an array, read as `type` (NULL past the end). */
  readonly element: (array: string, i: string, type: 'text' | 'double') => string
  /** Number of elements of an array. */
  readonly length: (array: string) => string
  /**
   * A SELECT of `columns` from `from`, one row per element of the array column `array` of `from`, the element as
   * `value` and its 1-based position as `position`.
   */
  readonly explode: (columns: string, from: string, array: string, value: string, position: string) => string
  /**
   * A SELECT of `columns` plus `value` from `from`, one row per element of the integer array `items` chosen per
   * row: `when` ? `wide` : `narrow` (literal integer lists).
   */
  readonly fanOut: (columns: string, from: string, when: string, wide: ReadonlyArray<number>, narrow: ReadonlyArray<number>, value: string) => string
  /** Aggregate: the values of `x` in the order of `orderBy` (SQL expressions, ascending), as an array. */
  readonly orderedArray: (x: string, orderBy: ReadonlyArray<string>) => string
  /** Aggregate: the distinct values of the string `x`, sorted, joined by the literal `separator`. */
  readonly distinctSorted: (x: string, separator: string) => string
  /** `x` with ASCII and Unicode white space (as JavaScript's `trim` sees it) removed from both ends. */
  readonly trim: (x: string) => string
  readonly lower: (x: string) => string
  /** `x`, or `fallback` when `x` is NULL, typed as not nullable (ClickHouse keeps Nullable out of arrays). */
  readonly ifNull: (x: string, fallback: string) => string
  readonly replace: (x: string, from: string, to: string) => string
  readonly concat: (parts: ReadonlyArray<string>) => string
  /** 2 to the power `x` (a double). */
  readonly pow2: (x: string) => string
  /** Milliseconds since 1970 (a double) of a timestamp column. */
  readonly epochMs: (x: string) => string
  /**
   * Window form only: a running sum of `x` over the rows before this one (not counting it) in `partition`,
   * ordered by `orderBy`.
   */
  readonly sumBefore: (x: string, partition: ReadonlyArray<string>, orderBy: ReadonlyArray<string>) => string
  /** Window form only: the largest `x` over the rows before this one (NULL for the first row), as `sumBefore` orders them. */
  readonly maxBefore: (x: string, partition: ReadonlyArray<string>, orderBy: ReadonlyArray<string>) => string
}
