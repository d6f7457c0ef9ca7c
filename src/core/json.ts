/**
 * Strict JSON: the language `JSON.parse` reads, except that a key given twice in one object is an error (where
 * `JSON.parse` silently keeps the last, so a config with `"experiments"` twice loses the first list), and a
 * leading byte order mark is skipped (editors on Windows write one). Errors name the path, line and column.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, type Issue, type TouchpointError } from './errors'

/** Nesting deeper than this is refused: no document we read is nested so deep, and recursion must not overflow. */
const MAX_DEPTH = 512

// The parser's state, module-level for speed (it runs on every line of large JSONL inputs); never re-entered.
let src = ''
let pos = 0
/** Nesting level of the value being read, and the key or index that leads to it at each level (segs[1..level]). */
let level = 0
const segs: Array<string | number> = []

/** Thrown inside the parser only, caught by `parseJson`. */
interface Failure {
  readonly at: number
  readonly path: string
  readonly expected: string
  readonly actual: unknown
}
/** Fail at offset `at`, inside the value reached by the first `levels` path segments. */
const fail = (at: number, levels: number, expected: string, actual?: unknown): never => {
  throw { at, path: pathOf(levels), expected, actual: actual ?? seenAt(at) } satisfies Failure
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
// Built only when something fails: the path costs nothing on the way.
const pathOf = (levels: number): string => {
  let path = ''
  for (let i = 1; i <= levels; i++) {
    const s = segs[i]!
    path += typeof s === 'number' ? `[${s}]` : IDENTIFIER.test(s) ? (path === '' ? s : `.${s}`) : `[${JSON.stringify(s)}]`
  }
  return path
}

const seenAt = (at: number): string => {
  if (at >= src.length) return 'the end of the input'
  const c = src.codePointAt(at)!
  return c < 0x20 ? `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}` : String.fromCodePoint(c)
}

const skipSpace = (): void => {
  for (;;) {
    const c = src.charCodeAt(pos)
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++
    else return
  }
}

const HEX = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1)

const ESCAPES: Readonly<Record<number, string>> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' }

/** A string whose opening quote is at `pos`; a problem is reported at path level `levels`. */
const parseString = (levels: number): string => {
  const start = ++pos
  // Fast path: no escapes, no control characters.
  for (;;) {
    const c = src.charCodeAt(pos)
    if (c === 0x22) return src.slice(start, pos++)
    if (c === 0x5c || c < 0x20 || Number.isNaN(c)) break
    pos++
  }
  let out = src.slice(start, pos)
  let from = pos
  for (;;) {
    const c = src.charCodeAt(pos)
    if (c === 0x22) {
      out += src.slice(from, pos++)
      return out
    }
    if (Number.isNaN(c)) fail(pos, levels, 'a closing quote (")')
    if (c < 0x20) fail(pos, levels, 'an escaped control character (\\n, \\t, \\u0000 …) inside a string')
    if (c !== 0x5c) {
      pos++
      continue
    }
    out += src.slice(from, pos)
    const e = src.charCodeAt(pos + 1)
    if (e === 0x75) {
      let code = 0
      for (let k = 2; k < 6; k++) {
        const h = HEX(src.charCodeAt(pos + k))
        if (h < 0) fail(pos + k, levels, 'four hexadecimal digits after \\u')
        code = code * 16 + h
      }
      out += String.fromCharCode(code)
      pos += 6
    } else {
      const s = ESCAPES[e]
      if (s === undefined) fail(pos + 1, levels, 'an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX')
      out += s
      pos += 2
    }
    from = pos
  }
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

const skipDigits = (): void => {
  while (isDigit(src.charCodeAt(pos))) pos++
}

const parseNumber = (): number => {
  const start = pos
  const negative = src.charCodeAt(pos) === 0x2d
  if (negative) pos++
  const first = src.charCodeAt(pos)
  // Integers of up to 15 digits, the common case, are summed as they are read: exact, and no slice to convert.
  let integer = 0
  if (first === 0x30) pos++
  else if (first >= 0x31 && first <= 0x39) {
    for (let c = first; isDigit(c); c = src.charCodeAt(++pos)) integer = integer * 10 + (c - 0x30)
  } else fail(pos, level, 'a digit')
  let plain = pos - start - (negative ? 1 : 0) <= 15
  if (src.charCodeAt(pos) === 0x2e) {
    pos++
    if (!isDigit(src.charCodeAt(pos))) fail(pos, level, 'a digit after the decimal point')
    skipDigits()
    plain = false
  }
  const e = src.charCodeAt(pos)
  if (e === 0x65 || e === 0x45) {
    const s = src.charCodeAt(++pos)
    if (s === 0x2b || s === 0x2d) pos++
    if (!isDigit(src.charCodeAt(pos))) fail(pos, level, 'a digit in the exponent')
    skipDigits()
    plain = false
  }
  return plain ? (negative ? -integer : integer) : +src.slice(start, pos)
}

const A_VALUE = 'a value (object, array, string, number, true, false or null)'

const literal = (word: string, value: unknown): unknown => {
  if (!src.startsWith(word, pos)) fail(pos, level, A_VALUE)
  pos += word.length
  return value
}

const parseValue = (): unknown => {
  const c = src.charCodeAt(pos)
  if (c === 0x22) return parseString(level)
  if (c === 0x7b) return parseObject()
  if (c === 0x5b) return parseArray()
  if (c === 0x2d || isDigit(c)) return parseNumber()
  if (c === 0x74) return literal('true', true)
  if (c === 0x66) return literal('false', false)
  if (c === 0x6e) return literal('null', null)
  return fail(pos, level, A_VALUE)
}

const hasOwn = Object.prototype.hasOwnProperty

const parseObject = (): Record<string, unknown> => {
  const outer = level
  if (outer >= MAX_DEPTH) fail(pos, outer, `JSON nested at most ${MAX_DEPTH} deep`, 'deeper nesting')
  const start = pos++
  const out: Record<string, unknown> = {}
  skipSpace()
  if (src.charCodeAt(pos) === 0x7d) {
    pos++
    return out
  }
  const inner = outer + 1
  for (;;) {
    if (src.charCodeAt(pos) !== 0x22) fail(pos, outer, 'a key in double quotes')
    const keyAt = pos
    const key = parseString(outer)
    segs[inner] = key
    if (hasOwn.call(out, key)) {
      const path = pathOf(inner)
      const first = firstKeyAt(start, key)
      throw { at: keyAt, path, expected: `each key once (this one is also at ${lineColumnText(first)})`, actual: key } satisfies Failure
    }
    skipSpace()
    if (src.charCodeAt(pos) !== 0x3a) fail(pos, inner, 'a colon (:) after the key')
    pos++
    skipSpace()
    level = inner
    const value = parseValue()
    level = outer
    // "__proto__" is an ordinary key in JSON (JSON.parse makes it an own property); assignment would set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
    else out[key] = value
    skipSpace()
    const c = src.charCodeAt(pos)
    if (c === 0x2c) {
      pos++
      skipSpace()
    } else if (c === 0x7d) {
      pos++
      return out
    } else fail(pos, outer, 'a comma (,) or a closing brace (})')
  }
}

const parseArray = (): Array<unknown> => {
  const outer = level
  if (outer >= MAX_DEPTH) fail(pos, outer, `JSON nested at most ${MAX_DEPTH} deep`, 'deeper nesting')
  pos++
  const out: Array<unknown> = []
  skipSpace()
  if (src.charCodeAt(pos) === 0x5d) {
    pos++
    return out
  }
  const inner = outer + 1
  for (;;) {
    segs[inner] = out.length
    level = inner
    out.push(parseValue())
    level = outer
    skipSpace()
    const c = src.charCodeAt(pos)
    if (c === 0x2c) {
      pos++
      skipSpace()
    } else if (c === 0x5d) {
      pos++
      return out
    } else fail(pos, outer, 'a comma (,) or a closing bracket (])')
  }
}

/** Where `key` first appears among the keys of the object starting at `start` (well formed up to the duplicate). */
const firstKeyAt = (start: number, key: string): number => {
  const saved = pos
  const savedLevel = level
  pos = start + 1
  try {
    for (;;) {
      skipSpace()
      const at = pos
      if (parseString(0) === key) return at
      skipSpace()
      pos++ // the colon
      skipSpace()
      level = 0
      parseValue()
      skipSpace()
      pos++ // the comma
    }
  } finally {
    pos = saved
    level = savedLevel
  }
}

/** 1-based line and column (in UTF-16 code units) of offset `at` of the text being parsed. */
const lineColumn = (at: number): { readonly line: number; readonly column: number } => {
  let line = 1
  let lineStart = 0
  for (let i = src.indexOf('\n'); i >= 0 && i < at; i = src.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: at - lineStart + 1 }
}
/** `line 3, column 5`, or just `column 5` for one-line text (a JSONL line, whose line the reader knows). */
const lineColumnText = (at: number): string => {
  const { line, column } = lineColumn(at)
  return src.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`
}

/**
 * The offset of the value at `path` (as `pathOf` spells it, which is how io-ts issues spell theirs) in the
 * well-formed text from `pos`, at nesting `depth`; for a path that leads to no value (a missing field), the offset of
 * the innermost value on the way to it.
 */
const seek = (path: string, depth: number): number => {
  const start = pos
  const open = src.charCodeAt(pos)
  if (pathOf(depth) === path || (open !== 0x7b && open !== 0x5b)) return start
  pos++
  skipSpace()
  for (let index = 0; src.charCodeAt(pos) !== 0x7d && src.charCodeAt(pos) !== 0x5d; index++) {
    if (open === 0x7b) {
      segs[depth + 1] = parseString(depth)
      skipSpace()
      pos++ // the colon
      skipSpace()
    } else segs[depth + 1] = index
    const inner = pathOf(depth + 1)
    const next = path.charCodeAt(inner.length)
    if (path.startsWith(inner) && (path.length === inner.length || next === 0x2e || next === 0x5b)) return seek(path, depth + 1)
    level = depth + 1
    parseValue()
    skipSpace()
    if (src.charCodeAt(pos) === 0x2c) {
      pos++
      skipSpace()
    }
  }
  return start
}

/**
 * The issues a decoder found in the JSON document `text`, located as `parseJson` locates its own: each issue
 * without a line gets the line and column of the value at its path (for a missing field, of the object that lacks
 * it). Other errors, issues already located and text that is no JSON come back as they are.
 *
 * @example
 * locateIssues('{\n  "store": {"medium": "in-store"}\n}')({ _tag: 'InvalidInput', issues: [{ path: 'store.medium', expected: 'online or offline', actual: 'in-store' }] })
 * // => { _tag: 'InvalidInput', issues: [{ path: 'store.medium', expected: 'online or offline', actual: 'in-store', line: 2, column: 23 }] }
 *
 * @category json
 * @since 0.1.0
 * @internal
 */
export const locateIssues =
  (text: string) =>
  (e: TouchpointError): TouchpointError => {
    if (e._tag !== 'InvalidInput' || e.issues.every((i) => i.line !== undefined) || E.isLeft(parseJson(text))) return e
    src = text
    try {
      const start = text.charCodeAt(0) === 0xfeff ? 1 : 0
      return invalidInput(
        e.issues.map((i) => {
          if (i.line !== undefined || typeof i.path !== 'string') return i
          pos = start
          level = 0
          skipSpace()
          return { ...i, ...lineColumn(seek(i.path, 0)) }
        }),
      )
    } catch {
      return e // not reached: the text parsed
    } finally {
      src = ''
    }
  }

/**
 * Parse JSON text strictly: `Right` of exactly what `JSON.parse` returns, or `Left` with one issue naming the
 * path, line and column of the first problem, a duplicate key included. A leading byte order mark is skipped.
 *
 * @example
 * parseJson('{"a": 1, "b": [true]}') // => right({ a: 1, b: [true] })
 * parseJson('{\n "a": 1,\n "a": 2\n}')
 * // => left({ _tag: 'InvalidInput', issues: [{ path: 'a', expected: 'each key once (this one is also at line 2, column 2)',
 * //          actual: 'a', line: 3, column: 2 }] })
 *
 * @category json
 * @since 0.1.0
 * @internal
 */
export const parseJson = (text: string): E.Either<TouchpointError, unknown> => {
  if (typeof text !== 'string') return E.left(invalidInput([{ path: '', expected: 'JSON text (a string)', actual: text }]))
  src = text
  pos = text.charCodeAt(0) === 0xfeff ? 1 : 0
  level = 0
  try {
    skipSpace()
    const value = parseValue()
    skipSpace()
    if (pos < src.length) fail(pos, 0, 'the end of the input after the JSON value')
    return E.right(value)
  } catch (e) {
    // Not a parse failure (none is known to happen: nesting is bounded): still an answer, never a throw.
    if (e instanceof Error) return E.left(invalidInput([{ path: '', expected: 'JSON text the parser can hold', actual: e.message }]))
    const f = e as Failure
    const issue: Issue = { path: f.path, expected: f.expected, actual: f.actual, ...lineColumn(f.at) }
    return E.left(invalidInput([issue]))
  } finally {
    src = ''
  }
}
