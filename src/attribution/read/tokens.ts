/**
 * Channel names found in place: a token (the text of a cell, or between two path separators, spaces and all)
 * is looked up by a hash of its length and three of its characters and confirmed with `startsWith` at its
 * position, so a known token costs no string. A new token is trimmed once and registered under its name. Measured
 * on 1e6 paths against a character trie and against slicing each name for a `Map`: this was the fastest of the
 * three. Not part of the public API.
 *
 * @module
 */
import { isSpace } from '../internal/text'

interface Entry {
  readonly token: string
  readonly id: number
}

/**
 * A table of tokens: `find` looks one up (-1: unknown), `add` registers one whose trimmed name is not empty and
 * returns its id from `intern`. `(' a', 'a', 'a ')` are three tokens of one name.
 */
export interface TokenTable {
  readonly find: (text: string, start: number, end: number) => number
  readonly add: (text: string, start: number, end: number) => number
}

/** Whether `text[start, end)` holds something other than spaces (a name once trimmed). */
export const hasName = (text: string, start: number, end: number): boolean => {
  for (let i = start; i < end; i++) if (!isSpace(text.charCodeAt(i))) return true
  return false
}

/** `text[start, end)` trimmed of spaces as `String.prototype.trim` sees them. */
export const trimmed = (text: string, start: number, end: number): string => {
  let from = start
  let to = end
  while (from < to && isSpace(text.charCodeAt(from))) from++
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--
  return text.slice(from, to)
}

/**
 * A string of its own, not a slice that keeps the text it came from alive. V8 makes a slice of 13 characters or
 * more a view into its parent: a name or id kept for the whole run would keep its whole chunk of input (64 KiB
 * and more) in memory.
 */
export const detached = (s: string): string => (s.length < 13 ? s : (` ${s}`).slice(1))

/** A new token table registering names through `intern`. */
export const tokenTable = (intern: (name: string) => number): TokenTable => {
  let table: Array<Entry | undefined> = new Array<Entry | undefined>(64).fill(undefined)
  let mask = 63
  let size = 0
  const hashAt = (text: string, s: number, e: number): number => {
    const h = Math.imul(Math.imul(Math.imul(e - s, 0x9e3779b1) ^ text.charCodeAt(s), 0x85ebca6b) ^ text.charCodeAt(e - 1), 0xc2b2ae35) ^ text.charCodeAt((s + e) >>> 1)
    // The high bits, which every input reaches, folded into the low bits the mask keeps.
    return h ^ (h >>> 16)
  }
  const place = (entry: Entry, hash: number) => {
    let i = hash & mask
    while (table[i] !== undefined) i = (i + 1) & mask
    table[i] = entry
  }
  const find = (text: string, s: number, e: number): number => {
    const length = e - s
    for (let i = hashAt(text, s, e) & mask; ; i = (i + 1) & mask) {
      const entry = table[i]
      if (entry === undefined) return -1
      if (entry.token.length === length && text.startsWith(entry.token, s)) return entry.id
    }
  }
  const add = (text: string, s: number, e: number): number => {
    const known = find(text, s, e)
    if (known >= 0) return known
    const entry: Entry = { token: detached(text.slice(s, e)), id: intern(detached(trimmed(text, s, e))) }
    size++
    if (size * 2 > mask + 1) {
      const old = table
      table = new Array<Entry | undefined>(old.length * 2).fill(undefined)
      mask = table.length - 1
      for (const o of old) if (o !== undefined) place(o, hashAt(o.token, 0, o.token.length))
    }
    place(entry, hashAt(text, s, e))
    return entry.id
  }
  return { find, add }
}
