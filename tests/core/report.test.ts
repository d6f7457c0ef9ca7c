/**
 * io-ts errors as named issues: a union whose object branch failed deeper keeps the deeper issue only.
 */
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { object, string } from '../../src/core/codecs'
import { issuesFromErrors } from '../../src/core/report'

const issuesOf = <A>(codec: t.Decoder<unknown, A>, u: unknown) => {
  const r = codec.decode(u)
  return r._tag === 'Left' ? issuesFromErrors(r.left).map((i) => i.path) : []
}

describe('issuesFromErrors', () => {
  it('keeps the deepest issue of a union whose object branch failed deeper', () => {
    const Field = t.union([string, object('inner', { x: string }, {})])
    const Outer = object('outer', { a: Field, b: string }, {})
    expect(issuesOf(Outer, { a: { x: 1 }, b: 2 })).toEqual(['a.x', 'b'])
    expect(issuesOf(Outer, { a: 3, b: 'ok' })).toEqual(['a'])
  })

  it('reports every unknown field of a wide object, each once', () => {
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, { nested: i }]))
    const paths = issuesOf(object('o', {}, {}), wide)
    expect(paths.length).toBe(20_000)
    expect(new Set(paths).size).toBe(20_000)
  })
})
