/**
 * One long path (issue 11, "one long line"): read from a CSV row, a JSON-lines record and a file whose one line is
 * longer than the scanner takes (the general route), it gives exactly the sums the simple definitions give, touch
 * by touch with an array of weights from `fillPositional`, and Markov transitions counted with strings. The reader
 * keeps no array per touch but the channel indexes; this holds it to the same doubles.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect } from 'vitest'
import { readAttributionText } from '../../../src/attribution/read/text'
import { readAttributionFiles } from '../../../src/files/attributionFiles'
import { fillPositional } from '../../../src/attribution/rules'
import { DEFAULT_SETTINGS, type AttributionPartial } from '../../../src/attribution/model'
import { exactRatios } from '../../../src/attribution/internal/exactRatios'
import { positionalWeights, writePositional } from '../../../src/attribution/internal/weights'

const NAMES = ['search_paid', 'email', 'display', 'Direct', 'video', 'referral', 'a', 'social media']

/** A long path: a random motif repeated with random runs, so repeats, runs and every position occur. */
const arbLongPath = fc
  .record({
    motif: fc.array(fc.nat(NAMES.length - 1), { minLength: 1, maxLength: 12 }),
    runs: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 7 }),
    length: fc.integer({ min: 1, max: 30_000 }),
    conversions: fc.integer({ min: 0, max: 5 }),
    value: fc.integer({ min: 0, max: 10_000 }).map((x) => x / 8),
    nulls: fc.integer({ min: 0, max: 5 }),
  })
  .filter((r) => r.conversions + r.nulls > 0)
  .map(({ motif, runs, length, conversions, value, nulls }) => {
    const path: Array<string> = []
    for (let k = 0; path.length < length; k++) {
      const name = NAMES[motif[k % motif.length]!]!
      for (let r = 0; r < runs[k % runs.length]! && path.length < length; r++) path.push(name)
    }
    return { path, conversions, value: conversions > 0 ? value : 0, nulls }
  })

type Long = { readonly path: ReadonlyArray<string>; readonly conversions: number; readonly value: number; readonly nulls: number }

/** The simple definitions, touch by touch in path order, as docs/attribution.md states them. */
const reference = ({ path, conversions: c, value: v, nulls: u }: Long) => {
  const n = path.length
  const credit = new Map<string, Array<number>>() // first c, v; last; lnd; linear; position
  for (const name of path) if (!credit.has(name)) credit.set(name, new Array<number>(10).fill(0))
  const add = (name: string, k: number, x: number, y: number) => {
    const row = credit.get(name)!
    row[2 * k] = row[2 * k]! + x
    row[2 * k + 1] = row[2 * k + 1]! + y
  }
  if (c > 0 || v > 0) {
    add(path[0]!, 0, c, v)
    add(path[n - 1]!, 1, c, v)
    let lnd = n - 1
    while (lnd > 0 && path[lnd]!.toLowerCase() === 'direct') lnd--
    if (path[lnd]!.toLowerCase() === 'direct') lnd = n - 1
    add(path[lnd]!, 2, c, v)
    const weights: Array<number> = []
    fillPositional(DEFAULT_SETTINGS.position, n, weights)
    for (let i = 0; i < n; i++) {
      add(path[i]!, 3, c / n, v / n)
      add(path[i]!, 4, weights[i]! * c, weights[i]! * v)
    }
  }
  // Markov order 1: consecutive repeats collapse; start, edges and exits weighted by conversions + nulls.
  const collapsed = path.filter((x, i) => i === 0 || path[i - 1] !== x)
  const edges = new Map<string, number>()
  for (let i = 1; i < collapsed.length; i++) {
    const key = `${collapsed[i - 1]} -> ${collapsed[i]}`
    edges.set(key, (edges.get(key) ?? 0) + c + u)
  }
  return { credit, edges, start: collapsed[0]!, exit: collapsed[collapsed.length - 1]! }
}

const expectReference = (p: AttributionPartial, long: Long) => {
  const want = reference(long)
  expect(p.channels).toEqual([...want.credit.keys()])
  const models = ['first', 'last', 'last_non_direct', 'linear', 'position'] as const
  p.channels.forEach((name, ch) => {
    const got = models.flatMap((m) => [p.rules[m].conversions[ch], p.rules[m].value[ch]])
    expect(got, name).toEqual(want.credit.get(name))
  })
  const state = (s: number) => p.channels[p.markov.states[s]![0]!]!
  expect(new Map(p.markov.edges.map(([from, to, w]) => [`${state(from)} -> ${state(to)}`, w]))).toEqual(want.edges)
  const w = long.conversions + long.nulls
  expect(p.markov.start.map((x, s) => [state(s), x]).filter(([, x]) => x !== 0)).toEqual([[want.start, w]])
  expect(p.markov.conversions.map((x, s) => [state(s), x]).filter(([, x]) => x !== 0)).toEqual(long.conversions > 0 ? [[want.exit, long.conversions]] : [])
  expect(p.sets).toEqual([{ channels: [...want.credit.keys()].map((_, i) => i), conversions: long.conversions, value: long.value, nulls: long.nulls }])
}

const partialOf = (e: E.Either<unknown, { readonly partial: AttributionPartial }>): AttributionPartial => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left).slice(0, 500))
  return e.right.partial
}

describe('one long path', () => {
  test.prop([arbLongPath, fc.constantFrom(' > ', '>', ' >')], { numRuns: 15 })('a CSV row and a JSON-lines record give the simple definitions exactly', (long, joiner) => {
    const csv = `path,total_conversions,total_conversion_value,total_null\n${long.path.join(joiner)},${long.conversions},${long.value},${long.nulls}\n`
    expectReference(partialOf(readAttributionText()(csv)), long)
    const json = `${JSON.stringify({ path: long.path.join(joiner), total_conversions: long.conversions, total_conversion_value: long.value, total_null: long.nulls })}\n`
    expectReference(partialOf(readAttributionText()(json)), long)
  })

  test.prop([arbLongPath], { numRuns: 3 })('a file whose one line is longer than the scanner takes (1 MiB) reads the same', async (long) => {
    // Repeated to pass the scanner's limit: the general route then reads the line.
    let path = long.path
    while (path.length * 3 <= 1 << 20) path = [...path, ...path]
    const longer = { ...long, path }
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-longpath-'))
    try {
      const file = join(dir, 'paths.csv')
      writeFileSync(file, `path,total_conversions,total_conversion_value,total_null\n${path.join(' > ')},${long.conversions},${long.value},${long.nulls}\n`)
      expectReference(partialOf(await readAttributionFiles()([file])), longer)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test.prop([fc.integer({ min: 1, max: 5_000 }), fc.tuple(fc.nat(100), fc.nat(100), fc.nat(100)).map(([first, middle, last]) => ({ first: first / 100, middle: middle / 100, last: last / 100 }))])(
    'the three positional weights the accumulator uses are the ones writePositional writes touch by touch',
    (n, weights) => {
      const w = exactRatios(weights)
      const out: Array<number> = []
      writePositional(w, n, out)
      const ends = { first: Number.NaN, middle: Number.NaN, last: Number.NaN }
      positionalWeights(w, n, ends)
      expect(out.map((_, i) => (i === 0 ? ends.first : i === n - 1 ? ends.last : ends.middle))).toEqual(out)
    },
  )
})
