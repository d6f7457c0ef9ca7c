/**
 * JSON lines, one object per line, parsed strictly: `JSON.parse` keeps the last of two equal keys without a word
 * (`{"user_id": "a", "user_id": "b"}` reads as user b), so a line whose object, or any object in it, repeats a key
 * is refused, naming the key.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, type Issue, type TouchpointError } from '../../core/errors'

/**
 * The first key that an object in `text` (valid JSON) repeats, or undefined. Strings are skipped with `indexOf`;
 * only the structure between them is read character by character.
 *
 * @category reading
 * @since 0.2.0
 */
export const repeatedKey = (text: string): string | undefined => {
  // One list of keys per open object (null for an array); a key sits right after `{` or after `,` in an object.
  const stack: Array<Array<string> | null> = []
  let keyNext = false
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      let j = i + 1
      let escaped = false
      for (;;) {
        j = text.indexOf('"', j)
        let k = j - 1
        while (text.charCodeAt(k) === 92) k--
        if ((j - 1 - k) % 2 === 0) break
        escaped = true
        j++
      }
      if (keyNext) {
        const keys = stack[stack.length - 1]!
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j)
        if (keys.includes(key)) return key
        keys.push(key)
        keyNext = false
      }
      i = j + 1
      continue
    }
    if (c === 123) {
      stack.push([])
      keyNext = true
    } else if (c === 91) stack.push(null)
    else if (c === 125 || c === 93) stack.pop()
    else if (c === 44) keyNext = stack[stack.length - 1] !== null && stack.length > 0
    i++
  }
  return undefined
}

const shown = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text)

/**
 * One JSON line as an object, or its error: not JSON, not an object, or a key given twice.
 *
 * @example
 * parseJsonObject('{"a":1}', 3) // => right({ a: 1 })
 * parseJsonObject('{"a":1,"a":2}', 3) // => left(InvalidInput: line 3: a: expected a key given once (...), got "given twice")
 *
 * @category reading
 * @since 0.2.0
 */
export const parseJsonObject = (text: string, line: number): E.Either<TouchpointError, Readonly<Record<string, unknown>>> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return E.left(invalidInput([{ path: '', expected: 'a JSON object', actual: shown(text), line }]))
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return E.left(invalidInput([{ path: '', expected: 'a JSON object', actual: value, line }]))
  const repeated = repeatedKey(text)
  if (repeated !== undefined) {
    const issue: Issue = { path: repeated, expected: 'a key given once (JSON.parse would keep the last silently)', actual: 'given twice', line }
    return E.left(invalidInput([issue]))
  }
  return E.right(value as Readonly<Record<string, unknown>>)
}
