import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { decodeConfig, decodeConfigJson } from '../../src/assignment/decode'
import { formatError, formatIssue, type Issue } from '../../src/core/errors'
import { arbConfigInput } from '../_arbitraries'

const issuesOf = (input: unknown): ReadonlyArray<Issue> => {
  const r = decodeConfig(input)
  if (E.isRight(r)) throw new Error('expected a Left')
  if (r.left._tag !== 'InvalidInput') throw new Error(`expected InvalidInput, got ${r.left._tag}`)
  return r.left.issues
}
const messages = (input: unknown) => issuesOf(input).map(formatIssue)

const two = [
  { key: 'control', weight: 0.5 },
  { key: 'green', weight: 0.5 },
]

describe('decodeConfig: shape errors name the path, the value and what was expected', () => {
  it('a weight out of range', () => {
    const input = {
      experiments: [
        { key: 'a', variants: two },
        { key: 'b', variants: two },
        { key: 'c', variants: [{ key: 'x', weight: 1.2 }, { key: 'y', weight: -0.2 }] },
      ],
    }
    expect(messages(input)).toEqual([
      'experiments[2].variants[0].weight: expected a number in [0, 1], got 1.2',
      'experiments[2].variants[1].weight: expected a number in [0, 1], got -0.2',
    ])
  })

  it('missing fields, wrong types and unknown fields', () => {
    expect(messages({ experiments: [{ variants: two, coverage: '50%', weigth: 1 }] })).toEqual([
      'experiments[0].key: expected a non-empty string, got nothing (the field is missing)',
      'experiments[0].coverage: expected a number in [0, 1], got "50%"',
      expect.stringMatching(/^experiments\[0\]\.weigth: expected no such field \(known: key, variants, status, .*\), got 1$/),
    ])
  })

  it('a status outside the allowed values', () => {
    expect(messages({ experiments: [{ key: 'a', variants: two, status: 'paused' }] })).toEqual([
      'experiments[0].status: expected one of "draft", "running", "stopped", got "paused"',
    ])
  })

  it('not an object at all', () => {
    expect(messages(null)).toEqual(['(input): expected an object, got null'])
    expect(messages({ experiments: 'x' })).toEqual(['experiments: expected an array, got "x"'])
    expect(messages({})).toEqual(['experiments: expected an array, got nothing (the field is missing)'])
  })

  it('malformed JSON text: where it goes wrong', () => {
    const r = decodeConfigJson('{"experiments": [')
    expect(E.isLeft(r) && formatError(r.left)).toBe('line 1, column 18: experiments[0]: expected a value (object, array, string, number, true, false or null), got "the end of the input"')
  })

  it('a key given twice is an error, not the last one winning; a byte order mark is fine', () => {
    const one = '{ "key": "a", "variants": [{ "key": "x" }, { "key": "y" }] }'
    const r = decodeConfigJson(`{\n"experiments": [${one}],\n"experiments": []\n}`)
    expect(E.isLeft(r) && formatError(r.left)).toBe('line 3, column 1: experiments: expected each key once (this one is also at line 2, column 1), got "experiments"')
    expect(E.isRight(decodeConfigJson(`\uFEFF{"experiments": [${one}]}`))).toBe(true)
  })
})

describe('decodeConfig: rules across fields', () => {
  it('weights that do not sum to 1', () => {
    expect(messages({ experiments: [{ key: 'a', variants: [{ key: 'x', weight: 0.5 }, { key: 'y', weight: 0.4 }] }] })).toEqual([
      'experiments[0].variants: expected weights that sum to 1 (these sum to 0.9), got [0.5,0.4]',
    ])
  })

  it('some weights given, others not', () => {
    expect(messages({ experiments: [{ key: 'a', variants: [{ key: 'x', weight: 1 }, { key: 'y' }] }] })).toEqual([
      expect.stringMatching(/^experiments\[0\]\.variants\[1\]\.weight: expected a weight, since other variants/),
    ])
  })

  it('duplicate experiment, variant and layer keys', () => {
    const input = {
      layers: [{ key: 'l' }, { key: 'l' }],
      experiments: [
        { key: 'a', variants: [{ key: 'x' }, { key: 'x' }] },
        { key: 'a', variants: two },
      ],
    }
    expect(messages(input)).toEqual([
      'experiments[1].key: expected an experiment key not already used by experiments[0], got "a"',
      'layers[1].key: expected a layer key not already used by layers[0], got "l"',
      'experiments[0].variants[1].key: expected a variant key not already used by experiments[0].variants[0], got "x"',
    ])
  })

  it('overlapping allocations in one layer, and a range given backwards', () => {
    const input = {
      layers: [{ key: 'checkout' }],
      experiments: [
        { key: 'a', variants: two, layer: { key: 'checkout', ranges: [[0, 0.5]] } },
        { key: 'b', variants: two, layer: { key: 'checkout', ranges: [[0.6, 0.5], [0.4, 0.7]] } },
      ],
    }
    expect(messages(input)).toEqual([
      'experiments[1].layer.ranges[0]: expected a [start, end] pair with start < end, got [0.6,0.5]',
      'experiments[1].layer.ranges[1]: expected a range of layer "checkout" not overlapping experiments[0] ("a"), which claims [0, 0.5), got [0.4,0.7]',
    ])
  })

  it('a stopped experiment frees its layer range', () => {
    const input = {
      layers: [{ key: 'checkout' }],
      experiments: [
        { key: 'old', status: 'stopped', variants: two, layer: { key: 'checkout', ranges: [[0, 0.5]] } },
        { key: 'new', variants: two, layer: { key: 'checkout', ranges: [[0, 0.5]] } },
      ],
    }
    expect(E.isRight(decodeConfig(input))).toBe(true)
  })

  it('an unknown layer, a unit that differs from the layer, an override to no variant, a bad condition', () => {
    const input = {
      layers: [{ key: 'checkout', unit: 'userId' }],
      experiments: [
        { key: 'a', variants: two, layer: { key: 'pricing', ranges: [[0, 1]] } },
        { key: 'b', unit: 'deviceId', variants: two, layer: { key: 'checkout', ranges: [[0, 1]] } },
        { key: 'c', variants: two, overrides: { 'qa-1': 'blue' }, targeting: [{ attribute: 'age', range: {} }, { attribute: 'x' }] },
      ],
    }
    expect(messages(input)).toEqual([
      'experiments[0].layer.key: expected the key of a layer in "layers" ("checkout"), got "pricing"',
      expect.stringMatching(/^experiments\[1\]\.unit: expected the unit of its layer "checkout" \("userId"\)/),
      'experiments[2].targeting[0].range: expected at least one of gte, gt, lte, lt, got {}',
      'experiments[2].targeting[1]: expected exactly one of equals, in, notIn, range, got {"attribute":"x"}',
      'experiments[2].overrides["qa-1"]: expected a variant key of this experiment ("control", "green"), got "blue"',
    ])
  })
})

describe('decodeConfig: holdout unit', () => {
  it('a global holdout without a unit, over experiments hashing another attribute, is an error', () => {
    expect(messages({ holdout: { share: 0.1 }, experiments: [{ key: 'a', unit: 'userId', variants: two }] })).toEqual([
      'holdout.unit: expected the unit attribute to hold out by (experiments hash "userId"; without a unit the holdout reads "id"), got nothing (the field is missing)',
    ])
    expect(E.isRight(decodeConfig({ holdout: { share: 0.1 }, experiments: [{ key: 'a', variants: two }] }))).toBe(true)
  })
})

describe('decodeConfig: properties', () => {
  test.prop([fc.anything()])('never throws, whatever the input', (input) => {
    const r = decodeConfig(input)
    expect(E.isLeft(r) || E.isRight(r)).toBe(true)
  })

  test.prop([fc.json()])('never throws on any JSON text', (text) => {
    expect(() => decodeConfigJson(text)).not.toThrow()
  })

  test.prop([arbConfigInput])('every valid config decodes, keeping experiments in order', (config) => {
    const r = decodeConfig(config)
    expect(E.isRight(r) && r.right.experiments.map((x) => x.key)).toEqual(config.experiments.map((x) => x.key))
  })

  test.prop([arbConfigInput, fc.nat(), fc.constantFrom(-0.1, 1.5, Number.NaN, '0.5', null)])(
    'one bad weight is reported at its path, and only there',
    (config, at, bad) => {
      const i = at % config.experiments.length
      const broken = structuredClone(config) as { experiments: Array<{ variants: Array<{ weight: unknown }> }> }
      broken.experiments[i]!.variants[0]!.weight = bad
      const paths = issuesOf(broken).map((x) => x.path)
      expect(paths).toContain(`experiments[${i}].variants[0].weight`)
      expect(paths.every((p) => p.startsWith(`experiments[${i}]`))).toBe(true)
    },
  )
})
