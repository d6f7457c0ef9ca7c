/** Unwrap an Either in a test, failing with the Left's content. */
import * as E from 'fp-ts/Either'

export const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

export const leftTag = (e: E.Either<{ readonly _tag: string }, unknown>): string | undefined => (E.isLeft(e) ? e.left._tag : undefined)
