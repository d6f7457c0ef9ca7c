/**
 * Totality under plain JavaScript: every exported function of a module, called with arbitrary values (and, when
 * it returns a function, that one too: curried APIs such as `assignTo('x', null)(assigner)`), must return
 * without throwing, rejecting or hanging, and never put NaN where a number belongs.
 */
import fc from 'fast-check'

/** Values a plain JavaScript caller may pass, the awkward ones often. */
export const arbPlain = (extra: ReadonlyArray<unknown> = []): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true }) },
    { weight: 3, arbitrary: fc.constantFrom<unknown>(undefined, null, Number.NaN, Infinity, -Infinity, -0, 1e308, '', '0', 'true', 'NaN', true, false, [], {}, () => undefined, Symbol('s')) },
    { weight: 2, arbitrary: fc.string() },
    ...(extra.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...extra) }] : []),
  )

const cyclic = (): unknown => {
  const o: Record<string, unknown> = { a: 1 }
  o['self'] = o
  return o
}

/** NaN anywhere inside a value (a Right's payload, a returned number), cycles and getters aside. */
export const containsNaN = (value: unknown, seen = new Set<unknown>()): boolean => {
  if (typeof value === 'number') return Number.isNaN(value)
  if (value === null || typeof value !== 'object' || seen.has(value)) return false
  seen.add(value)
  if (value instanceof Map) return [...value.values()].some((v) => containsNaN(v, seen))
  if (ArrayBuffer.isView(value)) return false
  return Object.keys(value).some((k) => {
    const d = Object.getOwnPropertyDescriptor(value, k)
    return d !== undefined && 'value' in d && containsNaN(d.value, seen)
  })
}

export interface Outcome {
  readonly name: string
  readonly args: ReadonlyArray<unknown>
  readonly problem: string
}

const withTimeout = <A>(p: Promise<A>, ms: number): Promise<A | 'timeout'> =>
  Promise.race([p, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms))])

/** Calls `f` with `args`, then any function it returns with `more`; the first problem found, or undefined. */
export const probe = async (name: string, f: (...a: Array<unknown>) => unknown, args: ReadonlyArray<unknown>, more: ReadonlyArray<unknown>): Promise<Outcome | undefined> => {
  const step = async (g: (...a: Array<unknown>) => unknown, a: ReadonlyArray<unknown>, depth: number): Promise<string | undefined> => {
    let r: unknown
    try {
      r = g(...a)
    } catch (e) {
      return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`
    }
    if (r instanceof Promise) {
      try {
        r = await withTimeout(r, 2000)
      } catch (e) {
        return `rejected ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`
      }
      if (r === 'timeout') return 'hung (2 s)'
    }
    // NaN handed back as given (a fallback the caller chose, in this call or the one before: variantOr(NaN)(x)) is
    // the caller's; NaN made here is not.
    if (typeof r === 'number' && Number.isNaN(r) && ![...args, ...more].some((x) => Number.isNaN(x))) return 'returned NaN'
    if (r !== null && typeof r === 'object' && (r as { _tag?: unknown })._tag === 'Right' && containsNaN((r as { right: unknown }).right)) return 'NaN inside a Right'
    if (typeof r === 'function' && depth < 2) return step(r as (...x: Array<unknown>) => unknown, more, depth + 1)
    return undefined
  }
  const problem = await step(f, args, 0)
  return problem === undefined ? undefined : { name, args, problem }
}

export { cyclic }
