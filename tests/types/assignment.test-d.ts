import { describe, expectTypeOf, it } from 'vitest'
import type * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { assign, assignTo, decodeConfig, isEnrolled, type Assigner, type Assignment, type NotEnrolledReason, type TouchpointError, type Unit } from '../../src/assignment/index'

declare const assigner: Assigner

describe('assignment types guide the caller', () => {
  it('decoding is fallible, assigning is not', () => {
    expectTypeOf(decodeConfig).returns.toEqualTypeOf<E.Either<TouchpointError, Assigner>>()
    expectTypeOf(pipe(assigner, assignTo('x', { userId: 'u' }))).toEqualTypeOf<Assignment>()
    expectTypeOf(pipe(assigner, assign({ userId: 'u' }))).toEqualTypeOf<ReadonlyArray<Assignment>>()
  })

  it('the variant is only reachable once enrolment is known', () => {
    const a = pipe(assigner, assignTo('x', { userId: 'u' }))
    // @ts-expect-error: a NotEnrolled has no variant
    void a.variant
    if (isEnrolled(a)) expectTypeOf(a.variant).toEqualTypeOf<string>()
    else expectTypeOf(a.reason).toEqualTypeOf<NotEnrolledReason>()
  })

  it('units hold scalar attributes only', () => {
    expectTypeOf<{ userId: string; age: number; beta: boolean }>().toExtend<Unit>()
    expectTypeOf<{ tags: string[] }>().not.toExtend<Unit>()
  })
})
