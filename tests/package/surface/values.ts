/**
 * The values a plain-JavaScript caller can pass: junk of every kind, and `corrupt`, which takes a valid value
 * (a config, a journey, an arm) and breaks one thing in it, because random junk alone only ever reaches the
 * first guard of a function.
 */
import fc from 'fast-check'

const cyclicObject = (): unknown => {
  const o: Record<string, unknown> = { a: 1 }
  o['self'] = o
  return o
}

const cyclicArray = (): unknown => {
  const a: Array<unknown> = [1]
  a.push(a)
  return a
}

/** Nested `depth` levels: deep enough for a naive recursive walk to overflow the stack. */
export const deep = (depth: number, leaf: unknown = 1, asArray = false): unknown => {
  let v: unknown = leaf
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v }
  return v
}

/** Objects whose keys collide with Object.prototype: `String(x)` throws on some, `x.toString()` on others. */
const prototypeKeys = (): ReadonlyArray<unknown> => [
  JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'),
  { toString: 1 },
  { toString: 'x', valueOf: 'y' },
  { valueOf: null },
  { constructor: 'x', hasOwnProperty: 1 },
  { [Symbol.toPrimitive]: 1 },
  Object.create(null),
  Object.assign(Object.create(null), { a: 1, toString: 'x' }),
]

/** Fixed values every kind of guard must meet: numbers at the edges, strings that look like numbers or booleans. */
export const SPECIALS: ReadonlyArray<() => unknown> = [
  () => undefined,
  () => null,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => Number.NEGATIVE_INFINITY,
  () => -0,
  () => 0,
  () => 1,
  () => -1,
  () => 0.5,
  () => 1.5,
  () => 2,
  () => 1e12,
  () => 1e15,
  () => 1e300,
  () => -1e300,
  () => Number.MAX_VALUE,
  () => Number.MIN_VALUE,
  () => Number.MAX_SAFE_INTEGER,
  () => 2 ** 53 + 2,
  () => 2 ** 32,
  () => -(2 ** 31),
  () => '',
  () => ' ',
  () => '0',
  () => '1',
  () => '0.5',
  () => '1e12',
  () => '-1',
  () => 'NaN',
  () => 'Infinity',
  () => 'true',
  () => 'false',
  () => 'yes',
  () => 'no',
  () => 'null',
  () => 'undefined',
  () => '[object Object]',
  () => '__proto__',
  () => 'constructor',
  () => 'toString',
  () => '\u0000',
  () => '\ufeff',
  () => '\ud800',
  () => 'a\r\nb',
  () => '"',
  () => ',',
  () => '😀',
  () => 'x'.repeat(100_000),
  () => true,
  () => false,
  () => Symbol('s'),
  () => 10n,
  () => [],
  () => [undefined],
  () => [null],
  () => [Number.NaN],
  () => [[]],
  () => {
    const sparse: Array<unknown> = []
    sparse[5] = 1
    return sparse
  },
  () => ({}),
  () => ({ length: 3 }),
  () => ({ length: -1 }),
  () => ({ length: 2 ** 32 }),
  () => new Date(Number.NaN),
  () => new Date(0),
  () => /x/g,
  () => new Map([['a', 1]]),
  () => new Set([1]),
  () => new Uint8Array(3),
  () => new Float64Array([Number.NaN, 1]),
  () => new ArrayBuffer(4),
  () => new Error('boom'),
  () => Promise.resolve(1),
  () => new String('x'),
  () => new Number(1),
  () => new Boolean(false),
  cyclicObject,
  cyclicArray,
  () => deep(5_000),
  () => deep(5_000, 1, true),
  ...prototypeKeys().map((v) => () => v),
  () => () => undefined,
  () => () => Number.NaN,
  () => () => 'x',
  () => () => ({}),
  () => (x: unknown) => x,
  () => async () => undefined,
  () => function named() {
    return null
  },
]

/** A special, fresh each time (some are mutable). */
export const arbSpecial: fc.Arbitrary<unknown> = fc.nat({ max: SPECIALS.length - 1 }).map((i) => SPECIALS[i]!())

const arbAnything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withObjectString: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
})

/** Any JavaScript value. Callbacks among them never throw: a throw from the caller's own callback is not ours. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: arbSpecial },
  { weight: 3, arbitrary: arbAnything },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: arbAnything.map((v) => () => v) },
)

/** Junk arguments for a function of `arity` parameters (sometimes fewer, sometimes one more). */
export const junkArgs = (arity: number): fc.Arbitrary<ReadonlyArray<unknown>> =>
  fc.array(junk, { minLength: 0, maxLength: Math.max(arity, 1) + 1 })

// ---------------------------------------------------------------------------------------------------------------

const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)

/** A copy of the arrays and plain objects in `v`; everything else (functions, Requests, Maps) shared. */
export const copy = (v: unknown, depth = 0): unknown => {
  if (depth > 50) return v
  if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1))
  if (isPlain(v)) {
    const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {}
    for (const k of Object.keys(v)) out[k] = copy(v[k], depth + 1)
    return out
  }
  return v
}

type Slot = readonly [parent: Record<string | number, unknown>, key: string | number]

const slotsOf = (root: unknown): ReadonlyArray<Slot> => {
  const out: Array<Slot> = []
  const walk = (node: unknown, depth: number) => {
    if (depth > 12 || out.length > 2000) return
    if (Array.isArray(node)) node.forEach((x, i) => (out.push([node as unknown as Record<number, unknown>, i]), walk(x, depth + 1)))
    else if (isPlain(node)) for (const k of Object.keys(node)) (out.push([node, k]), walk(node[k], depth + 1))
  }
  walk(root, 0)
  return out
}

/** How one value gets broken. */
export type Corruption = 'replace' | 'delete' | 'hole' | 'add' | 'stringify' | 'undefine' | 'negate' | 'scale'

const arbCorruption: fc.Arbitrary<Corruption> = fc.constantFrom('replace', 'replace', 'replace', 'delete', 'hole', 'add', 'stringify', 'stringify', 'undefine', 'negate', 'scale')

/**
 * `valid` with one thing broken: a field or element replaced by junk, deleted, set to `undefined`, left as a hole
 * in its array (a sparse array, as `[1, , 3]` writes it), an unknown
 * field added, a number or boolean written as a string ('0.5', 'true'), a number negated or scaled to 1e12.
 * The root itself may be the slot broken when it has no fields.
 */
export const corrupt = <A>(valid: fc.Arbitrary<A>): fc.Arbitrary<unknown> =>
  fc.tuple(valid, fc.nat(), arbCorruption, junk, fc.constantFrom('__proto__', 'toString', 'extra', 'weigth', '')).map(([v, pick, how, j, key]) => {
    const root = { root: copy(v) }
    const slots = slotsOf(root)
    const [parent, k] = slots[pick % slots.length]!
    const old = parent[k]
    switch (how) {
      case 'replace':
        parent[k] = j
        break
      case 'delete':
        if (Array.isArray(parent)) parent.splice(Number(k), 1)
        else delete parent[k]
        break
      case 'undefine':
        parent[k] = undefined
        break
      case 'hole':
        // An array element removed in place: `every`, `some`, `forEach` and `reduce` skip the hole, a guard using
        // them passes it, and the code after the guard reads undefined (a sparse times array gave NaN weights).
        if (Array.isArray(parent)) delete parent[k]
        else if (Array.isArray(old) && old.length > 0) delete old[pick % old.length]
        else parent[k] = j
        break
      case 'add':
        if (isPlain(old)) Object.defineProperty(old, key, { value: j, enumerable: true, configurable: true, writable: true })
        else if (Array.isArray(old)) old.push(j)
        else parent[k] = j
        break
      case 'stringify':
        parent[k] = typeof old === 'number' || typeof old === 'boolean' ? String(old) : typeof old === 'string' ? Number(old) : j
        break
      case 'negate':
        parent[k] = typeof old === 'number' ? -old : typeof old === 'boolean' ? !old : j
        break
      case 'scale':
        parent[k] = typeof old === 'number' ? old * 1e12 : j
        break
    }
    return root.root
  })

/** Mostly valid-with-one-thing-broken, sometimes valid, sometimes junk. */
export const plausible = <A>(valid: fc.Arbitrary<A>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 5, arbitrary: corrupt(valid) }, { weight: 1, arbitrary: junk })

/** An optional trailing argument: absent, valid, or broken. */
export const optional = <A>(valid: fc.Arbitrary<A>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: plausible(valid) })

/** Argument lists built from one arbitrary per parameter; trailing `undefined`s are dropped (not passed). */
export const args = (...params: ReadonlyArray<fc.Arbitrary<unknown>>): fc.Arbitrary<ReadonlyArray<unknown>> =>
  fc.tuple(...params).map((xs) => {
    const out = [...xs]
    while (out.length > 0 && out[out.length - 1] === undefined) out.pop()
    return out
  })

export const oneOf = <A>(values: ReadonlyArray<A>): fc.Arbitrary<A> => fc.constantFrom(...values)

/** A trusted value: the real thing mostly, otherwise junk or a likely confusion (never a hand-edited copy). */
export const trusted = (values: ReadonlyArray<unknown>, confusions: ReadonlyArray<unknown> = []): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 8, arbitrary: oneOf(values) },
    { weight: 2, arbitrary: junk },
    ...(confusions.length > 0 ? [{ weight: 1, arbitrary: oneOf(confusions) }] : []),
  )
