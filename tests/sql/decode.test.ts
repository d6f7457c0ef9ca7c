/**
 * Reading a result back: every bad cell named with its line, nothing thrown whatever is passed, and the channel
 * encoding read back for any name.
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { decodeAttributionRows, decodeChannels } from '../../src/sql/decode'

const settings = { section: 'settings', channels: JSON.stringify({ format: 1, input: 'paths', models: ['first', 'markov'], order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: 604800000, direct: ['direct'] }) }

/** The encoding the SQL writes (`%` then `>`), in JavaScript. */
const encode = (name: string) => name.replace(/%/g, '%25').replace(/>/g, '%3E')

describe('decodeAttributionRows', () => {
  test.prop([fc.array(fc.string({ minLength: 1, maxLength: 8, unit: 'binary' }), { minLength: 1, maxLength: 5 })])('channel names survive the encoding, any characters', (names) => {
    expect(decodeChannels(names.map(encode).join('>'))).toEqual(E.right(names))
  })

  it('reads a small result: channels in name order, Markov from start, edge and exit rows', () => {
    const rows = [
      settings,
      { section: 'channel', channels: 'b', first_conversions: '1', first_value: '10', touches: '2', rows: 1, journeys: 1, conversions: 1, value: 10 },
      { SECTION: 'channel', CHANNELS: 'a', FIRST_CONVERSIONS: 0, FIRST_VALUE: 0 },
      { section: 'start', channels: 'b', conversions: 1, nulls: 0 },
      { section: 'edge', channels: 'b>a', conversions: 1, nulls: 0 },
      { section: 'exit', channels: 'a', conversions: 1, value: 10, nulls: 0 },

    ]
    const r = decodeAttributionRows()(rows)
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect(r.right.partial.channels).toEqual(['a', 'b'])
    expect(r.right.partial.rules.first).toEqual({ conversions: [0, 1], value: [0, 10] })
    expect(r.right.partial.markov.edges).toEqual([[0, 1, 1]])
    expect(r.right.models).toEqual(['first', 'markov'])
    expect(r.right.partial.totals.untimedConversions).toBe(1)
  })

  it.each([
    [[{ section: 'channel', channels: 'a' }], 'section'],
    [[settings, { section: 'banana', channels: '' }], 'section'],
    [[settings, { section: 'channel', channels: 'a', first_conversions: '-1' }], 'first_conversions'],
    [[settings, { section: 'channel', channels: 'a', touches: 'x' }], 'touches'],
    [[settings, { section: 'edge', channels: 'a>b>c' }], 'channels'],
    [[settings, { section: 'settings', channels: '{"format":2}' }], 'channels'],
    [[{ section: 'settings', channels: 'not json' }], 'channels'],
  ])('refuses %j, naming %s', (rows, path) => {
    const r = decodeAttributionRows({ firstLine: 2 })(rows)
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues[0]!.path).toBe(path)
  })

  test.prop([fc.anything()])('never throws, whatever it is given', (junk) => {
    const r = decodeAttributionRows()(junk as never)
    expect(E.isLeft(r) || E.isRight(r)).toBe(true)
  })

  // The export surface suite found these throwing (null options read as an object).
  it.each([
    [null, 'options'],
    ['x', 'options'],
    [{ firstLine: '2' }, 'firstLine'],
    [{ firstLine: Number.NaN }, 'firstLine'],
    [{ firstLine: -1 }, 'firstLine'],
    [{ firstLine: 0 }, 'firstLine'], // the surface suite: row issues then had line 0
  ])('options %j are refused, naming %s', (options, path) => {
    const r = decodeAttributionRows(options as never)([settings])
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => [i.path, i.actual]) : r).toEqual([[path, path === 'options' ? options : (options as { firstLine: unknown }).firstLine]])
  })

  it('refuses a settings row whose JSON gives a key twice (JSON.parse kept the last)', () => {
    const twice = settings.channels.replace('"order":1', '"order":1,"order":2')
    const r = decodeAttributionRows()([{ section: 'settings', channels: twice }])
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues[0]).toMatchObject({ path: 'channels', line: 1 })
  })

  it('names rows that are no array', () => {
    const r = decodeAttributionRows()({} as never)
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues[0]!.path).toBe('rows')
  })

  it('refuses a count beyond the largest double (a bigint from a driver), naming its column', () => {
    const r = decodeAttributionRows()([settings, { section: 'channel', channels: 'a', first_conversions: 10n ** 400n }])
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues[0]!.path).toBe('first_conversions')
  })
})

describe('decodeChannels', () => {
  it('reads the encoded names back', () => {
    expect(decodeChannels('search>100%25 off%3E')).toEqual(E.right(['search', '100% off>']))
    expect(decodeChannels('')).toEqual(E.right([]))
  })

  test.prop([fc.anything().filter((u) => typeof u !== 'string')])('what is not text is a Left naming the key, never a throw', (junk) => {
    const r = decodeChannels(junk as never)
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues[0]).toEqual({ path: 'key', expected: expect.any(String), actual: junk })
  })
})
