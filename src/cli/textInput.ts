/**
 * Inputs as text: bytes decoded as UTF-8 chunk by chunk (a character cut between two reads is joined, not
 * replaced), a leading byte order mark dropped, and invalid UTF-8 an error naming file and line, unless the
 * user asked for replacement, which is then counted. Lines and CSV records are read from that text.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { csvReader, isCsvProblem, type CsvProblem, type CsvRecord } from '../core/csv'
import { incompleteTail, scanUtf8 } from '../core/utf8'
import type { Io } from './io'

/** How invalid UTF-8 is met: an error (the default), or U+FFFD counted in `replaced`. */
export interface TextOptions {
  readonly replaceInvalid?: boolean
}

/** What decoding found: replacements made (with `replaceInvalid`) and the line of the first. */
export interface TextTally {
  replaced: number
  firstReplacedLine: number | undefined
}

/** Invalid UTF-8 where replacement was not asked for. */
export class InvalidUtf8 extends Error {
  readonly file: string
  readonly line: number
  readonly byte: number
  constructor(file: string, line: number, byte: number) {
    super(`${file === '-' ? '<stdin>' : file}:${line}: invalid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}): expected UTF-8 text`)
    this.file = file
    this.line = line
    this.byte = byte
  }
}

/** What commands that offer `--replace-invalid-utf8` add to an `InvalidUtf8` message. */
export const REPLACE_HINT = '; pass --replace-invalid-utf8 to read such bytes as U+FFFD'

/** A fresh tally. */
export const textTally = (): TextTally => ({ replaced: 0, firstReplacedLine: undefined })

/** Standard-error note on replacements, or undefined when there were none. */
export const replacedNote = (command: string, file: string, tally: TextTally): string | undefined =>
  tally.replaced === 0
    ? undefined
    : `touchpoint ${command}: replaced ${tally.replaced} invalid UTF-8 sequence${tally.replaced === 1 ? '' : 's'} with U+FFFD in ${file === '-' ? '<stdin>' : file} (the first at ${file === '-' ? '<stdin>' : file}:${tally.firstReplacedLine})`

const countNewlines = (bytes: Buffer, end = bytes.length): number => {
  let n = 0
  for (let i = bytes.indexOf(10); i >= 0 && i < end; i = bytes.indexOf(10, i + 1)) n++
  return n
}

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const lenient = new TextDecoder('utf-8', { ignoreBOM: true })

/**
 * Decode a stream of bytes (strings pass through: they are text already). Throws `InvalidUtf8` at the first
 * invalid sequence unless `replaceInvalid`, where `tally` counts them.
 */
export async function* decodeUtf8(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, file: string, options: TextOptions = {}, tally: TextTally = textTally()): AsyncGenerator<string> {
  let carry: Buffer | undefined
  let line = 1
  let first = true
  const decode = (bytes: Buffer): string => {
    try {
      return fatal.decode(bytes)
    } catch {
      const scan = scanUtf8(bytes)
      const at = line + countNewlines(bytes, scan.first)
      if (options.replaceInvalid !== true) throw new InvalidUtf8(file, at, bytes[scan.first]!)
      tally.replaced += scan.invalid
      tally.firstReplacedLine ??= at
      return lenient.decode(bytes)
    }
  }
  const emit = (text: string): string => {
    if (first) {
      first = false
      if (text.charCodeAt(0) === 0xfeff) return text.slice(1)
    }
    return text
  }
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      yield emit(chunk)
      continue
    }
    const bytes = carry === undefined ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([carry, chunk])
    const tail = incompleteTail(bytes)
    const body = tail === 0 ? bytes : bytes.subarray(0, bytes.length - tail)
    carry = tail === 0 ? undefined : Buffer.from(bytes.subarray(bytes.length - tail))
    if (body.length === 0) continue
    const text = decode(body)
    line += countNewlines(body)
    yield emit(text)
  }
  if (carry !== undefined) yield emit(decode(carry))
}

/** An input's bytes: a file path, or `-` for standard input. */
export const byteStream = (path: string, io: Io): AsyncIterable<Uint8Array | string> =>
  path === '-' ? (io.stdin as AsyncIterable<Uint8Array | string>) : (createReadStream(path) as Readable as AsyncIterable<Uint8Array>)

/** An input as decoded text chunks. */
export const textStream = (path: string, io: Io, options: TextOptions = {}, tally?: TextTally): AsyncGenerator<string> => decodeUtf8(byteStream(path, io), path, options, tally)

/** A whole (small) file as text: configs, stage mappings, analysis inputs. */
export const readTextFile = async (path: string, io: Io, options: TextOptions = {}, tally?: TextTally): Promise<string> => {
  const parts: Array<string> = []
  const source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array> = path === '-' ? byteStream(path, io) : [await readFile(path)]
  for await (const text of decodeUtf8(source, path, options, tally)) parts.push(text)
  return parts.join('')
}

/** Non-empty lines of a text with their 1-based numbers (JSONL, plain lists); `\r\n` ends a line too. */
export async function* readLines(text: AsyncIterable<string>): AsyncGenerator<{ readonly line: number; readonly text: string }> {
  let line = 0
  let rest = ''
  for await (const chunk of text) {
    const all = rest === '' ? chunk : rest + chunk
    let from = 0
    for (let nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', from)) {
      line++
      const end = nl > from && all.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl
      const one = all.slice(from, end)
      from = nl + 1
      if (one.trim() !== '') yield { line, text: one }
    }
    rest = all.slice(from)
  }
  if (rest !== '') {
    line++
    const one = rest.endsWith('\r') ? rest.slice(0, -1) : rest
    if (one.trim() !== '') yield { line, text: one }
  }
}

/** CSV records (or problems) of a text, with the line each starts on. */
export async function* readCsv(text: AsyncIterable<string>, options: { readonly delimiter?: string } = {}): AsyncGenerator<CsvRecord | CsvProblem> {
  const reader = csvReader(options)
  for await (const chunk of text) yield* reader.push(chunk)
  yield* reader.end()
}

export { isCsvProblem }
