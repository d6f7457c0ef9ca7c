/**
 * The claim language of `// =>` comments in doc samples and JSDoc `@example`s, and how a claim is compared with
 * the value the code returns. The rules (also in README.md, Development):
 *
 * - The text after `// =>` is a JavaScript-like literal: numbers, strings, `true`, `false`, `null`, `undefined`,
 *   `NaN`, `Infinity`, arrays, objects, and `right(x)`, `left(x)`, `some(x)`, `none` for fp-ts values. It may go on
 *   over the next comment lines while a bracket is open; anything after the complete value is commentary.
 * - A number is compared exactly (`===`). A number followed by `…` is cut: `0.03548…` means
 *   |actual − 0.03548| < 0.00001, one unit of its last digit (so it may be rounded or truncated).
 * - `…` (or `...`) inside a string matches any text (`\u2026` is a literal ellipsis); as an array element it matches any number of elements; as an
 *   object entry it admits keys not listed; alone it matches any value. Without it, arrays have exactly the listed
 *   elements and objects exactly the listed keys.
 * - A bare capitalised name (`Assigner`, `AttributionPartial`) matches any object whose `_tag` is that name.
 * - `left('text')` compares the text with `formatError(error)`, the message a user sees.
 *
 * @module
 */
import { inspect } from 'node:util'
import { formatError, type TouchpointError } from '../../src/core/errors'

export type Pattern =
  | { readonly kind: 'any' }
  | { readonly kind: 'number'; readonly value: number; readonly unit: number | undefined; readonly text: string }
  | { readonly kind: 'string'; readonly parts: ReadonlyArray<string> }
  | { readonly kind: 'literal'; readonly value: boolean | null | undefined | number }
  | { readonly kind: 'array'; readonly items: ReadonlyArray<Pattern>; readonly rest: number | undefined }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, Pattern]>; readonly rest: boolean }
  | { readonly kind: 'tagged'; readonly tag: 'Right' | 'Left' | 'Some'; readonly inner: Pattern }
  | { readonly kind: 'none' }
  | { readonly kind: 'named'; readonly name: string }

export interface Parsed {
  readonly pattern: Pattern
  /** The claim as written, without the commentary after it. */
  readonly text: string
  /** What followed the value (commentary). */
  readonly rest: string
}

const ELLIPSIS = /^(…|\.\.\.)/

/** Parses the text after `// =>`; throws an Error naming the column when it is not a claim. */
export const parseClaim = (source: string): Parsed => {
  let i = 0
  const fail = (what: string): never => {
    throw new Error(`cannot read the claim at column ${i + 1}: ${what}\n  ${source}\n  ${' '.repeat(i)}^`)
  }
  const space = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++
  }
  const ellipsis = (): boolean => {
    const m = ELLIPSIS.exec(source.slice(i))
    if (m === null) return false
    i += m[0].length
    return true
  }
  const expect = (c: string) => {
    space()
    if (source[i] !== c) fail(`expected "${c}"`)
    i++
  }
  const string = (): Pattern => {
    const quote = source[i]!
    i++
    let text = ''
    const parts: Array<string> = []
    while (i < source.length && source[i] !== quote) {
      const c = source[i]!
      if (c === '\\') {
        const n = source[i + 1]
        const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '.': '.' }
        const hex = /^u([0-9a-fA-F]{4})/.exec(source.slice(i + 1))
        if (hex !== null) {
          text += String.fromCharCode(parseInt(hex[1]!, 16))
          i += 6
          continue
        }
        if (n === undefined || escapes[n] === undefined) fail('an escape this reader does not know')
        text += escapes[n!]
        i += 2
      } else if (c === '…' || source.startsWith('...', i)) {
        parts.push(text)
        text = ''
        i += c === '…' ? 1 : 3
      } else {
        text += c
        i++
      }
    }
    if (i >= source.length) fail('an unterminated string')
    i++
    parts.push(text)
    return { kind: 'string', parts }
  }
  const number = (): Pattern => {
    const m = /^-?(0x[0-9a-fA-F]+|(\d[\d_]*)?(\.\d+)?([eE][-+]?\d+)?)/.exec(source.slice(i))
    if (m === null || m[0] === '' || m[0] === '-') return fail('a number')
    const text = m[0]
    i += text.length
    const value = Number(text.replace(/_/g, ''))
    if (Number.isNaN(value)) fail('a number')
    let unit: number | undefined
    if (ellipsis()) {
      if (text.includes('0x')) fail('a cut hexadecimal number')
      const decimals = (m[3] ?? '.').length - 1
      const exponent = m[4] === undefined ? 0 : Number(m[4].slice(1))
      unit = 10 ** (exponent - decimals)
    }
    return { kind: 'number', value, unit, text: source.slice(i - text.length - (unit === undefined ? 0 : 1), i) }
  }
  const value = (): Pattern => {
    space()
    const c = source[i]
    if (c === undefined) return fail('a value')
    if (ellipsis()) return { kind: 'any' }
    if (c === "'" || c === '"' || c === '`') return string()
    if (c === '[') {
      i++
      const items: Array<Pattern> = []
      let rest: number | undefined
      for (;;) {
        space()
        if (source[i] === ']') break
        if (ellipsis()) {
          if (rest !== undefined) fail('a second … in one array')
          rest = items.length
        } else items.push(value())
        space()
        if (source[i] === ',') i++
        else if (source[i] !== ']') fail('"," or "]"')
      }
      i++
      return { kind: 'array', items, rest }
    }
    if (c === '{') {
      i++
      const entries: Array<readonly [string, Pattern]> = []
      let rest = false
      for (;;) {
        space()
        if (source[i] === '}') break
        if (ellipsis()) rest = true
        else {
          let key: string
          if (source[i] === "'" || source[i] === '"') {
            const k = string()
            if (k.kind !== 'string' || k.parts.length !== 1) return fail('a plain key')
            key = k.parts[0]!
          } else {
            const m = /^[A-Za-z_$][\w$]*/.exec(source.slice(i))
            if (m === null) return fail('a key')
            key = m[0]
            i += key.length
          }
          expect(':')
          entries.push([key, value()])
        }
        space()
        if (source[i] === ',') i++
        else if (source[i] !== '}') fail('"," or "}"')
      }
      i++
      return { kind: 'object', entries, rest }
    }
    if (c === '-' || /[\d.]/.test(c)) {
      if (source.startsWith('-Infinity', i)) {
        i += 9
        return { kind: 'literal', value: Number.NEGATIVE_INFINITY }
      }
      return number()
    }
    const m = /^[A-Za-z_$][\w$]*/.exec(source.slice(i))
    if (m === null) return fail('a value')
    const word = m[0]
    i += word.length
    const literals: Record<string, boolean | null | undefined | number> = {
      true: true, false: false, null: null, undefined, NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY,
    }
    if (word in literals) return { kind: 'literal', value: literals[word] }
    if (word === 'none') return { kind: 'none' }
    if (word === 'right' || word === 'left' || word === 'some') {
      expect('(')
      const inner = value()
      expect(')')
      return { kind: 'tagged', tag: word === 'right' ? 'Right' : word === 'left' ? 'Left' : 'Some', inner }
    }
    if (/^[A-Z]/.test(word)) return { kind: 'named', name: word }
    return fail(`"${word}" (write a value; explanations go after it)`)
  }
  const pattern = value()
  const text = source.slice(0, i).trim()
  const rest = source.slice(i)
  if (/^\s*[\w$'"`[{(]/.test(rest) && !/^\s{2,}|^\s*\(/.test(rest)) {
    fail('the end of the value (put two spaces, ":" or "(" before an explanation)')
  }
  return { pattern, text, rest }
}

/** Whether `(`, `[` and `{` outside strings are all closed in `text`: a claim going on over lines is complete. */
export const isBalanced = (text: string): boolean => {
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"' || c === '`') quote = c
    else if ('([{'.includes(c)) depth++
    else if (')]}'.includes(c)) depth--
  }
  return depth <= 0 && quote === undefined
}

const globMatch = (parts: ReadonlyArray<string>, actual: string): boolean => {
  if (parts.length === 1) return actual === parts[0]
  const first = parts[0]!
  const last = parts[parts.length - 1]!
  if (!actual.startsWith(first) || !actual.endsWith(last) || actual.length < first.length + last.length) return false
  let at = first.length
  const end = actual.length - last.length
  for (const part of parts.slice(1, -1)) {
    const found = actual.indexOf(part, at)
    if (found < 0 || found + part.length > end) return false
    at = found + part.length
  }
  return true
}

const isTouchpointError = (v: unknown): v is TouchpointError =>
  typeof v === 'object' && v !== null && ['InvalidInput', 'InsufficientData', 'NumericalFailure'].includes((v as { _tag?: unknown })._tag as string)

export const show = (v: unknown): string => inspect(v, { depth: 8, breakLength: 120, maxArrayLength: 30, maxStringLength: 400 })

const describe = (p: Pattern): string => {
  switch (p.kind) {
    case 'any': return '…'
    case 'number': return p.text
    case 'string': return JSON.stringify(p.parts.join('…'))
    case 'literal': return String(p.value)
    case 'array': return 'an array'
    case 'object': return 'an object'
    case 'tagged': return `${p.tag.toLowerCase()}(…)`
    case 'none': return 'none'
    case 'named': return `a ${p.name}`
  }
}

/** Compares; returns undefined when `actual` matches, else where and how it differs. */
export const mismatch = (pattern: Pattern, actual: unknown, path = ''): string | undefined => {
  const at = path === '' ? 'the value' : path
  const differs = (why?: string) => `${at}: expected ${describe(pattern)}${why === undefined ? '' : ` (${why})`}, got ${show(actual)}`
  switch (pattern.kind) {
    case 'any':
      return undefined
    case 'number':
      if (typeof actual !== 'number') return differs()
      if (pattern.unit === undefined) return actual === pattern.value ? undefined : differs('numbers are compared exactly')
      return Math.abs(actual - pattern.value) < pattern.unit ? undefined : differs(`more than ${pattern.unit} away`)
    case 'literal':
      if (typeof pattern.value === 'number' && Number.isNaN(pattern.value)) return Number.isNaN(actual) ? undefined : differs()
      return actual === pattern.value ? undefined : differs()
    case 'string':
      return typeof actual === 'string' && globMatch(pattern.parts, actual) ? undefined : differs()
    case 'named':
      return typeof actual === 'object' && actual !== null && (actual as { _tag?: unknown })._tag === pattern.name ? undefined : differs()
    case 'none':
      return typeof actual === 'object' && actual !== null && (actual as { _tag?: unknown })._tag === 'None' ? undefined : differs()
    case 'tagged': {
      if (typeof actual !== 'object' || actual === null || (actual as { _tag?: unknown })._tag !== pattern.tag) return differs()
      const key = pattern.tag === 'Right' ? 'right' : pattern.tag === 'Left' ? 'left' : 'value'
      const inner = (actual as Record<string, unknown>)[key]
      if (pattern.tag === 'Left' && pattern.inner.kind === 'string' && isTouchpointError(inner)) {
        const text = formatError(inner)
        return globMatch(pattern.inner.parts, text) ? undefined : `${path}.left: expected the message ${describe(pattern.inner)}, got ${JSON.stringify(text)}`
      }
      return mismatch(pattern.inner, inner, `${path}.${key}`)
    }
    case 'array': {
      if (!Array.isArray(actual)) return differs()
      const { items, rest } = pattern
      if (rest === undefined ? actual.length !== items.length : actual.length < items.length) {
        return differs(`${rest === undefined ? 'exactly' : 'at least'} ${items.length} elements; this one has ${actual.length}`)
      }
      for (let k = 0; k < items.length; k++) {
        const index = rest === undefined || k < rest ? k : actual.length - (items.length - k)
        const m = mismatch(items[k]!, actual[index], `${path}[${index}]`)
        if (m !== undefined) return m
      }
      return undefined
    }
    case 'object': {
      if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return differs()
      const record = actual as Record<string, unknown>
      for (const [key, p] of pattern.entries) {
        if (!(key in record)) return `${path}.${key}: expected ${describe(p)}, but there is no such key (keys: ${Object.keys(record).join(', ')})`
        const m = mismatch(p, record[key], `${path}.${key}`)
        if (m !== undefined) return m
      }
      if (!pattern.rest) {
        const listed = new Set(pattern.entries.map(([k]) => k))
        const extra = Object.keys(record).filter((k) => !listed.has(k))
        if (extra.length > 0) return `${at}: keys not in the claim: ${extra.join(', ')} (add them, or "…" to admit others)`
      }
      return undefined
    }
  }
}

const quote = (s: string): string =>
  `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/…/g, '\\u2026').replace(/\.\.\./g, '.\\.\\.')}'`

/** A value written in the claim language, to paste after `// =>` (then cut digits with `…` where wanted). */
export const toClaim = (v: unknown): string => {
  if (v === undefined || v === null || typeof v === 'boolean') return String(v)
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (typeof v === 'string') return quote(v)
  if (Array.isArray(v)) return `[${v.map((x) => toClaim(x)).join(', ')}]`
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (o['_tag'] === 'Right' && 'right' in o) return `right(${toClaim(o['right'])})`
    if (o['_tag'] === 'Left' && 'left' in o) return `left(${toClaim(o['left'])})`
    if (o['_tag'] === 'Some' && 'value' in o) return `some(${toClaim(o['value'])})`
    if (o['_tag'] === 'None') return 'none'
    if (v instanceof Map || v instanceof Set) return (o['_tag'] as string | undefined) ?? '…'
    const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k))
    return `{ ${Object.entries(o).map(([k, x]) => `${key(k)}: ${toClaim(x)}`).join(', ')} }`
  }
  return '…'
}
