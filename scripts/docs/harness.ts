/**
 * What a generated sample module calls for each `// =>` claim: the value is recorded by claim id, and compared by
 * the test once the module has run (scripts/docs/snippets.ts writes the calls).
 *
 * @module
 */
const KEY = Symbol.for('touchpoint.docs.checks')

type Store = Map<number, unknown>

export const checks = (): Store => {
  const g = globalThis as unknown as Record<symbol, Store | undefined>
  return (g[KEY] ??= new Map())
}

export const __check = <A>(id: number, value: A): A => {
  checks().set(id, value)
  return value
}
