/**
 * The claim language of `// =>` comments (scripts/docs/expect.ts) and the sample extraction
 * (scripts/docs/snippets.ts): a claim the value meets passes, and every kind of difference fails.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { invalidInput, issue } from '../../src/core/errors'
import { isBalanced, mismatch, parseClaim, toClaim } from '../../scripts/docs/expect'
import { jsdocExamples, markdownCode, prepare } from '../../scripts/docs/snippets'

const holds = (claim: string, value: unknown) => mismatch(parseClaim(claim).pattern, value) === undefined

describe('numbers', () => {
  it('are compared exactly without …', () => {
    expect(holds('[0.25, 0.75]', [0.25, 0.75])).toBe(true)
    expect(holds('[0.25, 0.75]', [0.25, 0.7499999999999999])).toBe(false)
    expect(holds('0.02', 0.01999999999999999)).toBe(false)
    expect(holds('-0.5', -0.5)).toBe(true)
    expect(holds('1e-300', 1e-300)).toBe(true)
    expect(holds('0x24884cba', 612912314)).toBe(true)
    expect(holds('NaN', Number.NaN)).toBe(true)
    expect(holds('Infinity', Number.NEGATIVE_INFINITY)).toBe(false)
    expect(holds('-Infinity', Number.NEGATIVE_INFINITY)).toBe(true)
    expect(holds('0', '0')).toBe(false)
  })
  it('cut with … are within one unit of their last digit (rounded or truncated)', () => {
    expect(holds('0.03548…', 0.035489)).toBe(true)
    expect(holds('0.03549…', 0.035489)).toBe(true)
    expect(holds('0.03548…', 0.035469)).toBe(false)
    expect(holds('0.03548…', 0.0355)).toBe(false)
    expect(holds('5841.7…', 5841.72448)).toBe(true)
    expect(holds('5841.7…', 5841.81)).toBe(false)
    expect(holds('-0.03526…', -0.035268)).toBe(true)
    expect(holds('2.3e-4…', 0.000231)).toBe(true)
    expect(holds('2.3e-4…', 0.000241)).toBe(false)
    expect(holds('0.14000…', 0.13999999999999996)).toBe(true)
  })
  test.prop([fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 8 })])(
    'a value shown rounded or truncated to d decimals matches; one 1.5 units away does not',
    (x, d) => {
      const unit = 10 ** -d
      const shown = (v: number) => `${v.toFixed(d)}…`
      expect(holds(shown(x), x)).toBe(true)
      const truncated = Math.trunc(x * 10 ** d) / 10 ** d
      if (Math.abs(x - truncated) < unit * (1 - 1e-9)) expect(holds(shown(truncated), x)).toBe(true)
      expect(holds(shown(x), x + 1.5 * unit)).toBe(false)
    },
  )
})

describe('strings, arrays and objects', () => {
  it('… in a string matches any text', () => {
    expect(holds("'channel,stage,…'", 'channel,stage,touches')).toBe(true)
    expect(holds("'channel,stage,…'", 'channel,touches')).toBe(false)
    expect(holds("'# Report\\n\\n12 touchpoints, …'", '# Report\n\n12 touchpoints, 305 journeys')).toBe(true)
    expect(holds("'a…c…e'", 'abcde')).toBe(true)
    expect(holds("'a…c…e'", 'ace')).toBe(true)
    expect(holds("'a…c…e'", 'aec')).toBe(false)
    expect(holds("'ab…ba'", 'aba')).toBe(false)
    expect(holds("'a\\u2026b'", 'a…b')).toBe(true)
    expect(holds("'a\\u2026b'", 'axb')).toBe(false)
  })
  it('arrays have exactly the listed elements unless … admits more, at its place', () => {
    expect(holds('[1, 2]', [1, 2, 3])).toBe(false)
    expect(holds('[1, 2, …]', [1, 2, 3])).toBe(true)
    expect(holds('[…, 3]', [1, 2, 3])).toBe(true)
    expect(holds('[1, …, 3]', [1, 3])).toBe(true)
    expect(holds('[1, …, 3]', [1, 2, 4])).toBe(false)
    expect(holds('[...]', [])).toBe(true)
  })
  it('objects have exactly the listed keys unless … admits more', () => {
    expect(holds('{ a: 1 }', { a: 1, b: 2 })).toBe(false)
    expect(holds('{ a: 1, … }', { a: 1, b: 2 })).toBe(true)
    expect(holds('{ a: 1, ... }', { b: 2 })).toBe(false)
    expect(holds("{ 'checkout-button__0': 'green' }", { 'checkout-button__0': 'green' })).toBe(true)
    expect(holds('{ a: undefined }', {})).toBe(false)
    expect(holds('{ a: undefined }', { a: undefined })).toBe(true)
    expect(holds('{ a: … }', { a: { deep: [1] } })).toBe(true)
    expect(holds('{}', [])).toBe(false)
  })
  it('says where a value differs', () => {
    expect(mismatch(parseClaim('right({ a: [1, { b: 0.75 }] })').pattern, { _tag: 'Right', right: { a: [1, { b: 0.7499999999999999 }] } }))
      .toMatch(/^\.right\.a\[1\]\.b: expected 0\.75 \(numbers are compared exactly\), got 0\.7499999999999999/)
  })
})

describe('fp-ts values and tags', () => {
  it('right, left, some, none', () => {
    expect(holds('right(3)', { _tag: 'Right', right: 3 })).toBe(true)
    expect(holds('right(3)', { _tag: 'Left', left: 3 })).toBe(false)
    expect(holds('left(3)', { _tag: 'Left', left: 3 })).toBe(true)
    expect(holds('some(3)', { _tag: 'Some', value: 3 })).toBe(true)
    expect(holds('none', { _tag: 'None' })).toBe(true)
    expect(holds('none', undefined)).toBe(false)
  })
  it("left('text') compares formatError's message", () => {
    const error = invalidInput([issue('order', 'an integer from 1 to 4', 5)])
    expect(holds("left('order: expected an integer from 1 to 4, got 5')", { _tag: 'Left', left: error })).toBe(true)
    expect(holds("left('order: expected …, got 5')", { _tag: 'Left', left: error })).toBe(true)
    expect(holds("left('order: expected an integer from 1 to 4, got 6')", { _tag: 'Left', left: error })).toBe(false)
  })
  it('a capitalised name matches the _tag', () => {
    expect(holds('right(Assigner)', { _tag: 'Right', right: { _tag: 'Assigner', experiments: [] } })).toBe(true)
    expect(holds('right(Assigner)', { _tag: 'Right', right: { _tag: 'AttributionPartial' } })).toBe(false)
  })
})

describe('reading claims', () => {
  it('keeps commentary after the value and refuses prose in its place', () => {
    expect(parseClaim("true: one path added").rest).toBe(': one path added')
    expect(parseClaim('1029.2…  (geometric middle of bin 1)').text).toBe('1029.2…')
    expect(parseClaim("right('green'), the same string getVariant gives").text).toBe("right('green')")
    expect(() => parseClaim('right(partial of both shards)')).toThrow(/"partial"/)
    expect(() => parseClaim('a fixed uint32')).toThrow(/"a"/)
    expect(() => parseClaim('right(1) or right(2)')).toThrow(/end of the value/)
    expect(() => parseClaim('{ a: 1')).toThrow(/","|"}"/)
  })
  test.prop([fc.jsonValue({ maxDepth: 4 })])('a value written by toClaim is a claim the value meets', (v) => {
    expect(mismatch(parseClaim(toClaim(v)).pattern, v)).toBeUndefined()
  })
  test.prop([fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 })])('and one another value does not meet', (v, w) => {
    fc.pre(JSON.stringify(v) !== JSON.stringify(w) && !(Object.is(v, -0) || Object.is(w, -0)))
    expect(mismatch(parseClaim(toClaim(v)).pattern, w)).toBeDefined()
  })
  it('knows when a claim goes on over the next comment line', () => {
    expect(isBalanced("right({ a: 1,")).toBe(false)
    expect(isBalanced("right({ a: 1 })")).toBe(true)
    expect(isBalanced("left('one (line')")).toBe(true)
    expect(isBalanced("left('two")).toBe(false)
  })
})

describe('finding samples and claims', () => {
  const jsdoc = [
    '/**',
    ' * Doc.',
    ' *',
    ' * @example',
    ' * pipe(',
    ' *   x,',
    ' * )',
    ' * // => right({ a: 1,',
    ' * //            b: 2 })',
    ' * const y = 2 // => 2',
    ' *',
    ' * @category c',
    ' */',
  ].join('\n')
  it('cuts @example out of JSDoc with its line, and claims after multi-line statements', () => {
    const [s] = jsdocExamples('src/x.ts', jsdoc)
    expect(s).toMatchObject({ id: 'src/x.ts:5', line: 5, code: 'pipe(\n  x,\n)\n// => right({ a: 1,\n//            b: 2 })\nconst y = 2 // => 2' })
    const p = prepare(s!, [])
    expect(p.problems).toEqual([])
    expect(p.claims.map((c) => [c.line, c.text])).toEqual([[8, 'right({ a: 1, b: 2 })'], [10, '2']])
    expect(p.module).toContain('__check(')
    expect(p.module.split('\n').length - p.offset).toBe(s!.code.split('\n').length + 1)
  })
  it('refuses a second claim after one statement, and claims it cannot attach', () => {
    const [two] = markdownCode('docs/x.md', '```ts\nf()\n// => 1\n// => 2\n```\n')
    expect(prepare(two!, []).problems.join()).toMatch(/docs\/x\.md:4: a second/)
    const [inside] = markdownCode('docs/x.md', '```ts\nif (a) {\n  f() // => 1\n}\n```\n')
    expect(prepare(inside!, []).problems.join()).toMatch(/not after a top-level statement/)
  })
  it('carries the imports of earlier ```ts blocks of a file', () => {
    const blocks = markdownCode('docs/x.md', "```ts\nimport { pipe } from 'fp-ts/function'\n```\ntext\n```ts\npipe(1)\n```\n")
    expect(blocks[1]!.carried).toEqual(["import { pipe } from 'fp-ts/function'"])
    expect(prepare(blocks[1]!, []).module).toContain("import { pipe } from 'fp-ts/function'")
  })
})
