import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { Duration, parseTimestamp, PathCodec, Timestamp } from '../../src/attribution/codec'
import { isoByPattern, isoFast } from '../../src/attribution/internal/time'
import { decodeEventFields, decodeEventJson, decodePathFields, decodePathJson, eventLayout, pathLayout } from '../../src/attribution/decode'
import { viewOfFields } from '../../src/attribution/read/fields'
import { pathDecoder } from '../../src/attribution/read/rows'
import { formatError } from '../../src/core/errors'
import { right } from './_helpers'

const message = <A>(r: E.Either<Parameters<typeof formatError>[0], A>): string => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return formatError(r.left)
}

describe('paths', () => {
  const layout = right(pathLayout()(['path', 'total_conversions', 'total_conversion_value', 'total_null']))
  const decode = decodePathFields(layout)
  it('trims channel names, keeps inner spaces (ChannelAttribution)', () => {
    expect(right(decode([' paid search >b', '2', '10.5', '3'], 2))).toEqual({ channels: ['paid search', 'b'], conversions: 2, value: 10.5, nulls: 3 })
  })
  it('empty value and null cells are 0; optional columns may be absent', () => {
    expect(right(decode(['a', '1', '', ''], 2))).toEqual({ channels: ['a'], conversions: 1, value: 0, nulls: 0 })
    const short = decodePathFields(right(pathLayout()(['path', 'total_conversions'])))
    expect(right(short(['a>b', '4'], 2))).toEqual({ channels: ['a', 'b'], conversions: 4, value: 0, nulls: 0 })
  })
  it('a bad line names its line, field and value; every bad field of the line is listed', () => {
    expect(message(decode(['a >> b', '-1', 'x', '2'], 7))).toBe(
      [
        'line 7: path: expected channel names separated by ">" (none empty), got "a >> b"',
        'line 7: total_conversions: expected a number >= 0, got "-1"',
        'line 7: total_conversion_value: expected a number >= 0, got "x"',
      ].join('\n'),
    )
    expect(message(decode(['a', '1'], 3))).toBe('line 3: (input): expected 4 fields (path, total_conversions, total_conversion_value, total_null), got "2 fields: a,1"')
  })
  it('a conversion value needs conversions on the same row: a value with 0 conversions is a bad line naming it, with or without nulls', () => {
    const expected = 'line 5: total_conversion_value: expected 0 or an empty cell where total_conversions is 0 (a conversion value needs conversions on the same row), got "40"'
    expect(message(decode(['a>b', '0', '40', '0'], 5))).toBe(expected)
    expect(message(decode(['a>b', '0', '40', '3'], 5))).toBe(expected)
    expect(message(decode(['a>b', '', '40', ''], 5))).not.toContain('conversions on the same row') // the missing count is the problem
    expect(right(decode(['a>b', '0', '0', '0'], 5))).toEqual({ channels: ['a', 'b'], conversions: 0, value: 0, nulls: 0 })
    expect(right(decode(['a>b', '0.5', '40', '0'], 5))).toEqual({ channels: ['a', 'b'], conversions: 0.5, value: 40, nulls: 0 })
    expect(message(decodePathJson()('{"path":"a","total_conversions":0,"total_conversion_value":2.5}', 6))).toBe(
      'line 6: total_conversion_value: expected 0 or an empty cell where total_conversions is 0 (a conversion value needs conversions on the same row), got 2.5',
    )
  })
  it('a missing required column is reported on the header line', () => {
    expect(message(pathLayout()(['paths', 'total_conversions']))).toBe('line 1: header: expected a column named "path", got "paths,total_conversions"')
  })
  it('JSONL paths: a string or an array of names', () => {
    const d = decodePathJson()
    expect(right(d('{"path":["a","b"],"total_conversions":1,"total_null":2}', 1))).toEqual({ channels: ['a', 'b'], conversions: 1, value: 0, nulls: 2 })
    expect(message(d('{"path":"a","total_conversions":"many"}', 4))).toBe('line 4: total_conversions: expected a number >= 0, got "many"')
    expect(message(d('[1]', 5))).toBe('line 5: (input): expected a JSON object, got [1]')
  })
  test.prop([fc.array(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('>') && s.trim() !== ''), { minLength: 1, maxLength: 6 })])(
    'PathCodec reads back what it writes',
    (names) => {
      const c = PathCodec('>')
      const trimmed = names.map((n) => n.trim())
      expect(right(c.decode(c.encode(trimmed)))).toEqual(trimmed)
    },
  )
  test.prop([
    fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom('a', ' b', 'c ', ' ', '', '\u00a0d', 'paid search', 'e\t'), { maxLength: 6 }).map((xs) => xs.join('>')),
      fc.array(fc.constantFrom('a', 'b c', ' x '), { minLength: 1, maxLength: 5 }).map((xs) => xs.join(' >> ')),
    ),
    fc.constantFrom('>', '>>', ','),
  ])('the pipeline\'s in-place path decoder accepts exactly what PathCodec accepts, and names the same channels', (text, separator) => {
    const names: Array<string> = []
    const d = pathDecoder({ path: 'path', conversions: 'c', value: 'v', nulls: 'n' }, separator, (n) => names.push(n) - 1)
    d.layout(['path', 'c'], 1)
    const a = PathCodec(separator).decode(text)
    const problem = d.csv(viewOfFields([text, '1']), 2)
    expect(problem === undefined).toBe(E.isRight(a))
    if (E.isRight(a) && problem === undefined) expect(Array.from(d.row.ids.slice(0, d.row.n), (i) => names[i])).toEqual(a.right)
    if (problem !== undefined) expect(names).toEqual([]) // a bad path registers no channel
  })
  test.prop([fc.array(fc.oneof(fc.string(), fc.constantFrom('', '-3', 'NaN', '1e400', ' ')), { minLength: 4, maxLength: 4 })])('decoding any fields never throws', (fields) => {
    const r = decode(fields, 2)
    if (E.isRight(r)) {
      expect(r.right.channels.length).toBeGreaterThan(0)
      expect(r.right.conversions).toBeGreaterThanOrEqual(0)
    }
  })
})

describe('events', () => {
  const layout = right(eventLayout()(['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value']))
  const decode = decodeEventFields(layout)
  it('reads ISO 8601 (no offset = UTC), markers and values', () => {
    expect(right(decode(['u1', '2026-01-02T00:00:00', 'email', 'yes', '30'], 2))).toEqual({ user: 'u1', time: Date.UTC(2026, 0, 2), channel: 'email', conversion: true, value: 30 })
    expect(right(decode(['u1', '1767312000000', '', '1', ''], 2))).toEqual({ user: 'u1', time: Date.UTC(2026, 0, 2), channel: '', conversion: true, value: 0 })
  })
  it('a row that is neither a touch nor a conversion decodes (the journey builder ignores it; readers count it)', () => {
    expect(right(decode(['u1', '2026-01-02', '', '0', ''], 9))).toEqual({ user: 'u1', time: Date.UTC(2026, 0, 2), channel: '', conversion: false, value: 0 })
  })
  it('a conversion value on a row the marker says is no conversion is a bad line naming it, in CSV (plain or spaced cell) and JSONL', () => {
    const why = (got: string) => `line 6: conversion_value: expected 0 or an empty cell where conversion marks no conversion (a conversion value needs a conversion on the same row), got ${got}`
    expect(message(decode(['u1', '2026-01-02', 'email', '0', '40'], 6))).toBe(why('"40"'))
    expect(message(decode(['u1', '2026-01-02', 'email', 'no', ' 4.5 '], 6))).toBe(why('" 4.5 "'))
    expect(message(decodeEventJson()('{"user_id":"u1","timestamp":1,"channel":"a","conversion":false,"conversion_value":40}', 6))).toBe(why('40'))
    expect(right(decode(['u1', '2026-01-02', 'email', '0', '0'], 6))).toMatchObject({ conversion: false, value: 0 })
    expect(right(decode(['u1', '2026-01-02', '', '1', '40'], 6))).toMatchObject({ conversion: true, value: 40 })
  })
  it('numeric times in s, ms, us (GA4) and ns; ISO 8601 with offsets and a UTC suffix', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 678)
    expect(right(Timestamp('s').decode(String(t / 1000)))).toBe(t)
    expect(right(Timestamp('ms').decode(String(t)))).toBe(t)
    expect(right(Timestamp('us').decode(`${t}123`))).toBe(t + 0.123)
    expect(right(Timestamp('ns').decode(`${t}123456`))).toBe(t + 0.123456)
    expect(right(Timestamp('us').decode(t * 1000))).toBe(t)
    expect(right(Timestamp('us').decode('2026-01-02T04:04:05.678+01:00'))).toBe(t)
    expect(right(Timestamp('ms').decode('2026-01-02 03:04:05.678 UTC'))).toBe(t)
    expect(message(E.mapLeft(() => ({ _tag: 'InvalidInput' as const, issues: [{ path: 'timestamp', expected: 'x', actual: 'y' }] }))(Timestamp('us').decode('5.')))).toContain('timestamp')
  })
  test.prop([fc.bigInt({ min: 0n, max: 4_000_000_000_000_000_000n }), fc.constantFrom('s', 'ms', 'us', 'ns') as fc.Arbitrary<'s' | 'ms' | 'us' | 'ns'>])(
    'epoch digits of any length read to within one part in 2^52 of the exact milliseconds',
    (x, unit) => {
      const exact = Number(x) / { s: 0.001, ms: 1, us: 1000, ns: 1_000_000 }[unit]
      const got = right(Timestamp(unit).decode(x.toString()))
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.max(Math.abs(exact), 1) * 2 ** -50)
    },
  )
  it('bad timestamps and markers name their column', () => {
    expect(message(decode(['u1', 'yesterday', 'a', 'maybe', ''], 4))).toBe(
      [
        'line 4: timestamp: expected an ISO 8601 date-time or a number of milliseconds since 1970, got "yesterday"',
        'line 4: conversion: expected a conversion marker: 1/0, true/false, yes/no or empty, got "maybe"',
      ].join('\n'),
    )
  })
  it('JSONL events, epoch seconds', () => {
    const d = decodeEventJson(undefined, 's')
    expect(right(d('{"user_id":7,"timestamp":1767312000,"channel":"ads","conversion":false}', 1))).toEqual({ user: '7', time: Date.UTC(2026, 0, 2), channel: 'ads', conversion: false, value: 0 })
  })
  it('parseTimestamp: offsets, fractions, invalid dates', () => {
    expect(parseTimestamp('2026-11-23T10:00:00+01:00')).toBe(Date.UTC(2026, 10, 23, 9))
    expect(parseTimestamp('2026-11-23 10:00:00.250Z')).toBe(Date.UTC(2026, 10, 23, 10, 0, 0, 250))
    expect(parseTimestamp('2026-02-30')).toBeUndefined()
    expect(parseTimestamp('23/11/2026')).toBeUndefined()
  })
  test.prop([fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })])('parseTimestamp reads toISOString back', (d) => {
    expect(parseTimestamp(d.toISOString())).toBe(d.getTime())
  })
  test.prop([
    fc.record({
      year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2024, 2100, 2400)),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 61 }),
      second: fc.option(fc.integer({ min: 0, max: 61 })),
      fraction: fc.option(fc.stringMatching(/^[0-9]{1,4}$/)),
      mark: fc.constantFrom('.', ','),
      sep: fc.constantFrom('T', ' '),
      zone: fc.constantFrom('', 'Z', 'z', '+01:00', ' Z'),
    }),
  ])('the digit-by-digit timestamp reader agrees with the general pattern wherever it answers', (p) => {
    const pad = (x: number, n = 2) => String(x).padStart(n, '0')
    const time = `${pad(p.hour)}:${pad(p.minute)}${p.second === null ? '' : `:${pad(p.second)}${p.fraction === null ? '' : `${p.mark}${p.fraction}`}`}`
    const text = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}${p.sep}${time}${p.zone}`
    const fast = isoFast(text)
    if (fast !== null) expect(fast).toBe(isoByPattern(text))
    // Read in place inside a longer line, the answer is the same (digits around it must not leak in).
    expect(isoFast(`9,${text}9,1`, 2, 2 + text.length)).toBe(fast)
    // The common shape (a year from 100, up to three fraction digits, Z or nothing) is always the fast reader's.
    const common = p.year >= 100 && (p.second === null || p.fraction === null || p.fraction.length <= 3) && ['', 'Z', 'z'].includes(p.zone)
    expect(fast !== null).toBe(common)
  })
  it('the digit-by-digit timestamp reader on leap days, month ends, leap seconds and fractions', () => {
    const cases = ['2000-02-29T00:00Z', '1900-02-29T00:00Z', '2100-02-29T12:00:00Z', '2024-02-29 23:59:59.999', '2023-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-04-30T00:00:00Z', '2026-12-31T23:59:60Z', '0100-03-01T00:00:00.5Z', '9999-12-31T23:59:59.99z', '1969-12-31T23:59:59.001Z']
    for (const c of cases) {
      const fast = isoFast(c)
      expect(fast, c).not.toBeNull()
      expect(fast, c).toBe(isoByPattern(c))
    }
    expect(isoFast('2024-02-29T00:00Z')).toBe(Date.UTC(2024, 1, 29))
    expect(isoFast('2023-02-29T00:00Z')).toBeUndefined()
  })
  it('Duration', () => {
    expect(right(Duration.decode('7d'))).toBe(604_800_000)
    expect(right(Duration.decode('1.5h'))).toBe(5_400_000)
    expect(E.isLeft(Duration.decode('7 days'))).toBe(true)
  })
})
