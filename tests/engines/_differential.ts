/**
 * Differential testing of the SQL compiler against the in-process engine: random path rows and event rows, the
 * partial computed both ways, every model finished from each, and the credits compared channel by channel.
 */
import { fc } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { expect } from 'vitest'
import { accumulator } from '../../src/attribution/accumulate'
import { attribute } from '../../src/attribution/attribute'
import { journeyBuilder } from '../../src/attribution/journeys'
import { DAY_MS, MODEL_NAMES, type Attribution, type AttributionPartial, type ModelName, type Settings } from '../../src/attribution/model'
import { decodeEventJson, decodePathFields, pathLayout, type EventRow as DecodedEventRow } from '../../src/attribution/decode'
import { decodeAttributionRows } from '../../src/sql/decode'
import type { AttributionQuery, SqlEvents, SqlPaths } from '../../src/sql/model'

/** Channel names that quote, escape and encode badly, and plain ones. */
export const NAMES = ['search', 'email', 'direct', "o'brien", 'a%3Eb', '50%', 'x"y', 'back\\slash', 'Dïrect', 'paid social', '--', '/*c*/'] as const

export interface PathRow {
  readonly path: string | null
  readonly conversions: number | null
  readonly value: number | null
  readonly nulls: number | null
}

export interface EventRow {
  readonly seq: number
  readonly user: string
  readonly time: number
  readonly channel: string
  readonly conversion: boolean
  readonly value: number
}

export interface Scenario {
  readonly order: number
  readonly position: Settings['position']
  readonly halfLifeMs: number
  readonly direct: ReadonlyArray<string>
}

export const arbScenario: fc.Arbitrary<Scenario> = fc.record({
  order: fc.integer({ min: 1, max: 4 }),
  position: fc.constantFrom({ first: 0.4, middle: 0.2, last: 0.4 }, { first: 0.2, middle: 0.2, last: 0.6 }, { first: 3, middle: 0, last: 1 }, { first: 0, middle: 1, last: 0 }),
  halfLifeMs: fc.constantFrom(DAY_MS, 7 * DAY_MS, 0.5 * DAY_MS),
  direct: fc.constantFrom(['direct'], ['DIRECT', 'email'], ['50%', 'A%3EB', 'dÏrect'], [] as Array<string>),
})

const arbName = (names: ReadonlyArray<string>) => fc.constantFrom(...names)

/** Path rows: mostly valid, sometimes an empty name, padding spaces, or a missing amount. */
export const arbPathRows = (names: ReadonlyArray<string> = NAMES): fc.Arbitrary<ReadonlyArray<PathRow>> =>
  fc.array(
    fc.record({
      channels: fc.array(fc.oneof({ weight: 12, arbitrary: arbName(names) }, { weight: 1, arbitrary: fc.constant(' ') }), { minLength: 1, maxLength: 7 }),
      pad: fc.boolean(),
      conversions: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.constant(null) }),
      // Not subnormal: PostgreSQL raises an error on float underflow (5e-324 / 2), where JavaScript gives 0.
      value: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(null), fc.double({ min: 0, max: 50, noNaN: true }).map((x) => (x < 1e-300 ? 0 : x))),
      nulls: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(null)),
    }),
    { minLength: 1, maxLength: 40 },
  ).map((rows) =>
    rows.map((r) => ({
      path: r.channels.join(r.pad ? ' > ' : '>'),
      conversions: r.conversions,
      value: r.value,
      nulls: r.nulls,
    })),
  )

const MINUTE = 60_000

/**
 * Event rows of a few users over a few weeks, with ties in time, conversion-only rows, and some invalid rows: rows
 * with neither channel nor conversion, and touches that carry a value (no conversion on the row: refused both ways).
 * `long`: two users and up to 60 rows at full size, so that journeys of many distinct channels are common.
 */
export const arbEventRows = (names: ReadonlyArray<string> = NAMES, { long = false }: { readonly long?: boolean } = {}): fc.Arbitrary<ReadonlyArray<EventRow>> =>
  fc
    .array(
      fc.record({
        user: long ? fc.constantFrom('u1', "o'neil") : fc.constantFrom('u1', 'u2', "o'neil", 'u 4', '5'),
        slot: fc.integer({ min: 0, max: 40 }),
        channel: fc.oneof({ weight: 10, arbitrary: arbName(names) }, { weight: 2, arbitrary: fc.constant('') }),
        conversion: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        value: fc.integer({ min: 0, max: 200 }),
        touchValue: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 200 }) }),
      }),
      { minLength: 1, maxLength: 60, ...(long ? { size: 'max' as const } : {}) },
    )
    .map((rows) =>
      rows.map((r, seq) => ({ seq, user: r.user, time: 1_767_225_600_000 + r.slot * 13 * 60 * MINUTE * 7, channel: r.channel, conversion: r.conversion, value: r.conversion ? r.value : r.touchValue })),
    )

export const settingsOf = (s: Scenario): Settings => ({ order: s.order, position: s.position, halfLifeMs: s.halfLifeMs, direct: s.direct })

/**
 * The in-process partial of path rows, read by the reader's own decoder (`decodePathFields`, as a CSV export is
 * read), the invalid ones left out as `--on-error skip` would: what the reader refuses, the SQL must count invalid.
 */
export const inProcessPaths = (rows: ReadonlyArray<PathRow>, s: Scenario): { partial: AttributionPartial; invalid: number } => {
  const acc = accumulator(settingsOf(s))
  const layout = pathLayout()(['path', 'total_conversions', 'total_conversion_value', 'total_null'])
  if (E.isLeft(layout)) throw new Error(JSON.stringify(layout.left))
  const decode = decodePathFields(layout.right, '>')
  const text = (x: string | number | null) => (x === null ? '' : String(x))
  let invalid = 0
  rows.forEach((r, i) => {
    const j = decode([text(r.path), text(r.conversions), text(r.value), text(r.nulls)], i + 2)
    if (E.isLeft(j)) invalid++
    else {
      acc.add(j.right)
      acc.countRows(1)
    }
  })
  return { partial: acc.snapshot(), invalid }
}

const decodeEvent = decodeEventJson({ user: 'user_id', time: 'ts', channel: 'channel', conversion: 'conversion', value: 'conversion_value' })

/**
 * An event row as the reader's own decoder reads it from a JSON line (`decodeEventJson`), or `undefined` where the
 * reader refuses it or the journey builder ignores it (neither a touch nor a conversion): what SQL counts invalid.
 */
export const readEvent = (r: EventRow): DecodedEventRow | undefined => {
  const line = JSON.stringify({ user_id: r.user, ts: r.time, channel: r.channel === '' ? null : r.channel, conversion: r.conversion, conversion_value: r.value })
  const d = decodeEvent(line, r.seq + 2)
  return E.isLeft(d) || (d.right.channel === '' && !d.right.conversion) ? undefined : d.right
}

/** The in-process partial of event rows read in time order (ties by sequence), as a sorted export is read. */
export const inProcessEvents = (rows: ReadonlyArray<EventRow>, s: Scenario, lookbackMs: number | undefined): { partial: AttributionPartial; invalid: number } => {
  const acc = accumulator(settingsOf(s))
  const builder = journeyBuilder(lookbackMs === undefined ? {} : { lookbackMs })
  let invalid = 0
  const sorted = [...rows].sort((a, b) => a.time - b.time || a.seq - b.seq)
  for (const r of sorted) {
    const row = readEvent(r)
    if (row === undefined) {
      invalid++
      continue
    }
    const done = builder.push(row, r.seq + 2)
    if (E.isLeft(done)) throw new Error(JSON.stringify(done.left))
    for (const j of done.right) acc.add(j)
    acc.countRows(1)
  }
  for (const j of builder.end()) acc.add(j)
  return { partial: acc.snapshot(), invalid }
}

export const pathsQuery = (s: Scenario, source: AttributionQuery['source'], input: Partial<SqlPaths> = {}): AttributionQuery => ({
  source,
  input: { _tag: 'paths', path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null', separator: '>', ...input },
  models: MODEL_NAMES.filter((m) => m !== 'time_decay'),
  ...settingsOf(s),
})

export const eventsQuery = (s: Scenario, source: AttributionQuery['source'], lookbackMs: number | undefined, input: Partial<SqlEvents> = {}): AttributionQuery => ({
  source,
  input: {
    _tag: 'events',
    user: 'user_id',
    time: 'ts',
    channel: 'channel',
    conversion: 'conversion',
    value: 'conversion_value',
    timeType: { _tag: 'epoch', unit: 'ms' },
    orderColumn: 'seq',
    ...(lookbackMs === undefined ? {} : { lookbackMs }),
    ...input,
  },
  models: [...MODEL_NAMES],
  ...settingsOf(s),
})

const finish = (partial: AttributionPartial, models: ReadonlyArray<ModelName>): E.Either<unknown, Attribution> => attribute({ models })(partial)

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))

/** Every model's credits per channel name, the removal effects and the totals, equal to 1e-9 relative. */
export const expectSameAttribution = (fromSql: AttributionPartial, inProcess: AttributionPartial, models: ReadonlyArray<ModelName>): void => {
  const a = finish(fromSql, models)
  const b = finish(inProcess, models)
  if (E.isLeft(b)) {
    expect(E.isLeft(a), `in process: ${JSON.stringify(b.left)}; SQL: ${JSON.stringify(a)}`).toBe(true)
    return
  }
  if (E.isLeft(a)) throw new Error(`SQL result failed where in process did not: ${JSON.stringify(a.left)}`)
  for (const k of Object.keys(b.right.totals) as Array<keyof AttributionPartial['totals']>) {
    if (!close(a.right.totals[k], b.right.totals[k])) throw new Error(`totals.${k}: SQL ${a.right.totals[k]}, in process ${b.right.totals[k]}`)
  }
  const byName = new Map(a.right.channels.map((c) => [c.channel, c]))
  expect([...byName.keys()].sort()).toEqual(b.right.channels.map((c) => c.channel).sort())
  for (const cb of b.right.channels) {
    const ca = byName.get(cb.channel)!
    for (const m of models) {
      const x = ca.credits[m]!
      const y = cb.credits[m]!
      if (!close(x.conversions, y.conversions) || !close(x.value, y.value)) {
        throw new Error(`${m} credit of ${JSON.stringify(cb.channel)}: SQL ${JSON.stringify(x)}, in process ${JSON.stringify(y)}`)
      }
    }
    if (cb.markovRemovalEffect !== undefined) {
      expect(close(ca.markovRemovalEffect!, cb.markovRemovalEffect), `removal effect of ${cb.channel}`).toBe(true)
    }
  }
}

/** Decoded result rows, or a thrown error naming the problem. */
export const decodeRows = (rows: ReadonlyArray<Record<string, unknown>>) => {
  const d = decodeAttributionRows()(rows)
  if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
  return d.right
}

/** Strings that break naive quoting, for the live literal round trips. */
export const NASTY_TEXTS: ReadonlyArray<string> = [
  "'; DROP TABLE events; --",
  "\\'",
  "\\\\'",
  'a\\',
  "it''s",
  '/* x */ --',
  '\n\r\t',
  "O'Brien \\ \"quoted\" `back`",
  '\u2028\u00a0é漢字🙂',
  '$$ $tag$ $$',
  '%3E>%25%',
  '\u0001\u001f\u007f',
]
