import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { journeySums } from '../../src/report/internal/journeySums'

const CH = 5

/** The touch and role sums as they were summed before: a loop per group of sums, roles touch by touch. */
const reference = (rows: ReadonlyArray<{ path: ReadonlyArray<number>; c: number; u: number }>) => {
  const zeros = () => new Array<number>(CH).fill(0)
  const touches = zeros()
  const conv = zeros()
  const positionSum = zeros()
  const toEndSum = zeros()
  const repeats = zeros()
  const roles = [zeros(), zeros(), zeros(), zeros()]
  const convRoles = [zeros(), zeros(), zeros(), zeros()]
  const addRoles = (rs: Array<Array<number>>, path: ReadonlyArray<number>, w: number) => {
    const n = path.length
    if (n === 1) rs[3]![path[0]!] = rs[3]![path[0]!]! + w
    else path.forEach((ch, i) => (rs[i === 0 ? 0 : i === n - 1 ? 2 : 1]![ch] = rs[i === 0 ? 0 : i === n - 1 ? 2 : 1]![ch]! + w))
  }
  for (const { path, c, u } of rows) {
    const n = path.length
    const w = c + u
    if (w > 0) {
      path.forEach((ch, i) => {
        touches[ch] = touches[ch]! + w
        positionSum[ch] = positionSum[ch]! + w * (i + 1)
        toEndSum[ch] = toEndSum[ch]! + w * (n - 1 - i)
        if (i > 0 && path[i - 1] === ch) repeats[ch] = repeats[ch]! + w
      })
      addRoles(roles, path, w)
    }
    if (c > 0) {
      for (const ch of path) conv[ch] = conv[ch]! + c
      addRoles(convRoles, path, c)
    }
  }
  const byRole = (rs: Array<Array<number>>) => ({ introducer: rs[0], assister: rs[1], closer: rs[2], solo: rs[3] })
  return { touches, convertingTouches: conv, positionSum, toEndSum, repeats, roles: byRole(roles), convertingRoles: byRole(convRoles) }
}

// Fractional weights, so a different order of additions would show in the last bits; negative nulls as plain
// JavaScript may pass them (conversions with a weight not above 0).
const weight = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 3, noNaN: true }))
const arbRows = fc.array(
  fc.record({
    path: fc.array(fc.integer({ min: 0, max: CH - 1 }), { minLength: 1, maxLength: 7 }),
    c: weight,
    u: fc.oneof({ weight: 6, arbitrary: weight }, { weight: 1, arbitrary: fc.double({ min: -4, max: 0, noNaN: true }) }),
  }),
  { maxLength: 60 },
)

describe('journey sums', () => {
  test.prop([arbRows])('one loop over the touches gives each sum the same additions in the same order as a loop per sum, exactly', (rows) => {
    const sums = journeySums(4)
    for (let i = 0; i < CH; i++) sums.channel()
    for (const r of rows) sums.add(r.path, r.path.length, r.c, r.u)
    const { channel } = sums.snapshot()
    const want = reference(rows)
    expect({ ...channel, touchToConversion: undefined }).toEqual({ ...want, touchToConversion: undefined })
  })
})
