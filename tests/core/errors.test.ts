import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { formatError, formatIssue, showValue } from '../../src/core/errors'

describe('showValue', () => {
  it.each([
    ['a BigInt inside an object', { n: 10n }],
    ['an object whose toString is no function', Object.assign(Object.create(null) as object, { toString: 'x' })],
    ['a cyclic object', (() => { const o: Record<string, unknown> = {}; o['self'] = o; return o })()],
    ['a symbol', Symbol('s')],
  ])('shows %s without throwing', (_, value) => {
    expect(typeof showValue(value)).toBe('string')
  })

  test.prop([fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true })])('is total', (value) => {
    expect(typeof showValue(value)).toBe('string')
  })
})

describe('formatIssue and formatError given what is not an issue or an error', () => {
  it.each([null, undefined, 42, 'text', {}, { issues: 'x', _tag: 'InvalidInput' }])('formatError(%j) says what it got', (value) => {
    expect(formatError(value as never)).toMatch(/^expected a TouchpointError/)
  })

  it.each([null, undefined, 42, {}])('formatIssue(%j) says what it got', (value) => {
    expect(formatIssue(value as never)).toMatch(/^expected an issue/)
  })

  it('formatError lists an issue that is not one without throwing', () => {
    expect(formatError({ _tag: 'InvalidInput', issues: [null as never] })).toMatch(/^expected an issue/)
  })
})
