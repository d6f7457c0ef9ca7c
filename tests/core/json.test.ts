import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { locateIssues, parseJson } from '../../src/core/json'
import type { Issue } from '../../src/core/errors'
import { right } from '../_either'

const issueOf = (text: string): Issue => {
  const r = parseJson(text)
  if (E.isRight(r) || r.left._tag !== 'InvalidInput') throw new Error(`expected a Left for ${JSON.stringify(text)}`)
  expect(r.left.issues).toHaveLength(1)
  return r.left.issues[0]!
}
const nativeParse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}
/** What parseJson must say of `text`: what JSON.parse says, except that a duplicate key is refused. */
const agreesWithJsonParse = (text: string) => {
  const ours = parseJson(text)
  const theirs = nativeParse(text)
  if (!theirs.ok) expect(E.isLeft(ours), `accepted ${JSON.stringify(text)}`).toBe(true)
  else if (E.isRight(ours)) expect(ours.right).toStrictEqual(theirs.value)
  else expect(issueOf(text).expected, `refused ${JSON.stringify(text)}`).toMatch(/^each key once/)
}

// A JSON-ish alphabet, so random texts are often valid and often wrong in interesting places.
const jsonish = fc.string({ unit: fc.constantFrom(...'{}[]",:-+.0123456789eEtrufalsn \n\t\\/ub\u00e9\ud83d\ude00\u0001'.split('')), maxLength: 40 })
const arbJson = fc.jsonValue({ maxDepth: 4 })

describe('parseJson', () => {
  test.prop([arbJson, fc.constantFrom(undefined, 0, 2, '\t')])('reads whatever JSON.stringify writes, exactly as JSON.parse does', (value, indent) => {
    const text = JSON.stringify(value, null, indent)
    expect(right(parseJson(text))).toStrictEqual(JSON.parse(text))
  })

  test.prop([jsonish])('random text: accepted and read as JSON.parse reads it, or refused when JSON.parse refuses it', agreesWithJsonParse)

  test.prop([arbJson, fc.nat(), fc.nat({ max: 2 }), jsonish])('valid JSON with one edit (a character dropped, replaced or inserted)', (value, at, kind, extra) => {
    const text = JSON.stringify(value)
    const i = at % (text.length + 1)
    const edited = kind === 0 ? text.slice(0, i) + text.slice(i + 1) : kind === 1 ? text.slice(0, i) + extra + text.slice(i + 1) : text.slice(0, i) + extra + text.slice(i)
    agreesWithJsonParse(edited)
  })

  test.prop([fc.dictionary(fc.string({ maxLength: 4 }), arbJson, { minKeys: 1, maxKeys: 5 }), fc.nat(), fc.jsonValue({ maxDepth: 1 })])(
    'a key given twice is refused at the second, naming its path and the first',
    (object, pick, again) => {
      const keys = Object.keys(object)
      const key = keys[pick % keys.length]!
      const members = keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(object[k])}`)
      const text = `{"outer": [{\n${members.join(',\n')},\n${JSON.stringify(key)}: ${JSON.stringify(again)}\n}]}`
      const issue = issueOf(text)
      expect(issue.actual).toBe(key)
      expect(issue.line).toBe(keys.length + 2)
      expect(issue.column).toBe(1)
      expect(issue.expected).toBe(`each key once (this one is also at line ${keys.indexOf(key) + 2}, column 1)`)
      expect(issue.path).toBe(/^[A-Za-z_$][\w$]*$/.test(key) ? `outer[0].${key}` : `outer[0][${JSON.stringify(key)}]`)
    },
  )

  it('names what it expected where the text goes wrong', () => {
    expect(issueOf('{\n  "a": [1, 2,]\n}')).toEqual({ path: 'a[2]', expected: 'a value (object, array, string, number, true, false or null)', actual: ']', line: 2, column: 14 })
    expect(issueOf('{"a": 1 "b": 2}')).toMatchObject({ path: '', expected: 'a comma (,) or a closing brace (})', actual: '"', line: 1, column: 9 })
    expect(issueOf('{"a": "x')).toMatchObject({ path: 'a', expected: 'a closing quote (")', actual: 'the end of the input' })
    expect(issueOf('{"a": "x\ty"}')).toMatchObject({ path: 'a', actual: 'control character U+0009', column: 9 })
    expect(issueOf('[01]')).toMatchObject({ path: '', expected: 'a comma (,) or a closing bracket (])', actual: '1' })
    expect(issueOf('{"a": 1} x')).toMatchObject({ expected: 'the end of the input after the JSON value', actual: 'x', column: 10 })
    expect(issueOf('')).toMatchObject({ expected: 'a value (object, array, string, number, true, false or null)', actual: 'the end of the input' })
    expect(issueOf('{"experiments": [], "layers": [], "experiments": [1]}')).toMatchObject({ path: 'experiments', actual: 'experiments', column: 35 })
  })

  it('skips a leading byte order mark, and only a leading one', () => {
    expect(right(parseJson('\uFEFF{"a": 1}'))).toEqual({ a: 1 })
    expect(E.isLeft(parseJson('\uFEFF\uFEFF{}'))).toBe(true)
    expect(right(parseJson('"\uFEFF"'))).toBe('\uFEFF')
  })

  it('"__proto__" is an own key, as JSON.parse makes it, and is checked for duplicates like any other', () => {
    const o = right(parseJson('{"__proto__": {"polluted": true}, "a": 1}')) as Record<string, unknown>
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype)
    expect(Object.keys(o)).toEqual(['__proto__', 'a'])
    expect(o).toStrictEqual(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'))
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(issueOf('{"__proto__": 1, "__proto__": 2}').path).toBe('__proto__')
  })

  it('escapes, lone surrogates and large numbers as JSON.parse reads them', () => {
    for (const text of ['"\\ud800"', '"a\\u00e9\\n\\"\\/"', '1e400', '-0', '-1.5E-3', '[[], {}]', ' \t\n null \r\n']) agreesWithJsonParse(text)
  })

  it('deep nesting is refused, not a stack overflow; non-strings are refused, not thrown at', () => {
    expect(issueOf(`${'['.repeat(100_000)}${']'.repeat(100_000)}`).expected).toMatch(/nested at most 512 deep/)
    expect(E.isRight(parseJson(`${'['.repeat(500)}${']'.repeat(500)}`))).toBe(true)
    for (const input of [undefined, null, 1, {}, ['[]']]) expect(E.isLeft(parseJson(input as never))).toBe(true)
  })
})

/** io-ts's spelling of a path (core/report.ts): identifiers after a dot, other keys quoted in brackets, indices in brackets. */
const spell = (segments: ReadonlyArray<string | number>): string =>
  segments.reduce<string>((p, s) => (typeof s === 'number' ? `${p}[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? (p === '' ? s : `${p}.${s}`) : `${p}[${JSON.stringify(s)}]`), '')

/** A path into `value` chosen by `picks` (one number per level: which key or index, or stop). */
const pathInto = (value: unknown, picks: ReadonlyArray<number>): { segments: Array<string | number>; at: unknown } => {
  const segments: Array<string | number> = []
  let at = value
  for (const pick of picks) {
    const keys: ReadonlyArray<string | number> = Array.isArray(at) ? at.map((_, i) => i) : at !== null && typeof at === 'object' ? Object.keys(at) : []
    if (keys.length === 0 || pick % (keys.length + 1) === keys.length) break
    const key = keys[pick % (keys.length + 1)]!
    segments.push(key)
    at = (at as Record<string | number, unknown>)[key]
  }
  return { segments, at }
}
const offsetOf = (text: string, line: number, column: number) => text.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1
const located = (text: string, path: string): Issue => {
  const e = locateIssues(text)({ _tag: 'InvalidInput', issues: [{ path, expected: 'something else', actual: null }] })
  if (e._tag !== 'InvalidInput') throw new Error('not InvalidInput')
  return e.issues[0]!
}

describe('locateIssues', () => {
  test.prop([arbJson, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(undefined, 2, '\t')])('an issue at a path is located at the value there, written as JSON.stringify writes it', (value, picks, indent) => {
    const text = JSON.stringify(value, null, indent)
    const { segments, at } = pathInto(value, picks)
    const i = located(text, spell(segments))
    expect(i.line).toBeGreaterThanOrEqual(1)
    const from = offsetOf(text, i.line!, i.column!)
    // JSON.stringify writes a nested value as it writes it alone, its inner lines indented once more per level.
    const pad = indent === undefined ? '' : (typeof indent === 'number' ? ' '.repeat(indent) : indent).repeat(segments.length)
    expect(text.slice(from).startsWith(JSON.stringify(at, null, indent).replace(/\n/g, `\n${pad}`)), `${spell(segments)} at ${i.line}:${i.column} of ${text}`).toBe(true)
  })

  test.prop([fc.dictionary(fc.string({ maxLength: 4 }), arbJson, { maxKeys: 4 }), fc.string({ maxLength: 4 })])('a missing field is located at the object that lacks it', (object, key) => {
    fc.pre(!Object.prototype.hasOwnProperty.call(object, key))
    const text = `[\n 1,\n ${JSON.stringify(object)}\n]`
    expect([located(text, spell([1, key])).line, located(text, spell([1, key])).column]).toEqual([3, 2])
    expect([located(text, spell([1, key, 'deeper', 0])).line, located(text, spell([1, key, 'deeper', 0])).column]).toEqual([3, 2])
  })

  it('keeps a line already given, other errors, and text that is no JSON as they are', () => {
    const given = { _tag: 'InvalidInput' as const, issues: [{ path: 'a', expected: 'x', actual: 1, line: 9 }] }
    expect(locateIssues('{\n"a": 1}')(given)).toStrictEqual(given)
    const other = { _tag: 'InsufficientData' as const, reason: 'none' }
    expect(locateIssues('{}')(other)).toBe(other)
    const unlocated = { _tag: 'InvalidInput' as const, issues: [{ path: 'a', expected: 'x', actual: 1 }] }
    expect(locateIssues('{"a": ')(unlocated)).toStrictEqual(unlocated)
    expect(locateIssues(3 as never)(unlocated)).toStrictEqual(unlocated)
    // Keys spelled with dots are not paths; columns count a byte order mark, as parseJson's do.
    expect(located('{"a.b": {"c": 1}, "a": {"b": 2}}', 'a.b')).toMatchObject({ line: 1, column: 30 })
    expect(located('\ufeff{"a.b": {"c": 1}, "a": {"b": 2}}', 'a.b')).toMatchObject({ line: 1, column: 31 })
    expect(located('{"a.b": {"c": 1}, "a": {"b": 2}}', '["a.b"].c')).toMatchObject({ line: 1, column: 15 })
    // A key that starts another key's name is not on its path.
    expect(located('{"a": {"c": 1}, "ab": {"c": 2}}', 'ab.c')).toMatchObject({ line: 1, column: 29 })
  })
})

