/**
 * Reading, stage 1 (**source** → bytes): files, byte ranges of files (worker shards), standard input, gzip
 * recognised by its magic number whatever the name and decompressed as it streams (concatenated members
 * included), and the UTF-8 check every byte passes before the pipeline reads it.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer'
import { createReadStream } from 'node:fs'
import { createGunzip } from 'node:zlib'

/** gzip's magic number opens the data: warehouse exports (Snowflake, BigQuery, Redshift UNLOAD) often come so. */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

const asBuffer = (chunk: Buffer | string | Uint8Array): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))

/**
 * The bytes of a stream, decompressed when its first bytes are gzip's magic number. A read or decompression
 * error names `name`.
 */
export async function* decompressed(input: AsyncIterable<Buffer | string | Uint8Array>, name: string): AsyncGenerator<Buffer> {
  const iterator = input[Symbol.asyncIterator]()
  let head: Buffer = Buffer.alloc(0)
  // Enough bytes to see the magic number (a stream may hand over one byte at a time).
  while (head.length < 2) {
    const next = await iterator.next()
    if (next.done === true) {
      if (head.length > 0) yield head
      return
    }
    head = head.length === 0 ? asBuffer(next.value) : Buffer.concat([head, asBuffer(next.value)])
  }
  const rest = async function* () {
    yield head
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield asBuffer(next.value)
  }
  if (!isGzip(head)) {
    yield* rest()
    return
  }
  const gunzip = createGunzip({ chunkSize: 65536 })
  const feed = (async () => {
    try {
      for await (const chunk of rest()) if (!gunzip.write(chunk)) await new Promise<void>((r) => gunzip.once('drain', () => r()))
      gunzip.end()
    } catch (e) {
      gunzip.destroy(e instanceof Error ? e : new Error(String(e)))
    }
  })()
  try {
    for await (const chunk of gunzip) yield chunk as Buffer
  } catch (e) {
    throw new Error(`${name}: cannot decompress it as gzip: ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    gunzip.destroy()
    await feed.catch(() => undefined)
    await iterator.return?.()
  }
}

/**
 * A file's bytes, decompressed when it is gzip.
 */
export const fileBytes = (path: string): AsyncIterable<Buffer> => decompressed(createReadStream(path), path)

/**
 * The bytes of a shard's lines: those of the lines that begin in the byte range `[start, end)` of an
 * uncompressed file. The line holding byte `start - 1` belongs to the shard before (a line beginning exactly at
 * `start` is this shard's), so reading starts one byte early and skips to the first newline; it goes on through
 * the newline that ends the line holding byte `end - 1`. Cut at newline bytes, which never occur inside a UTF-8
 * character.
 */
export async function* rangeBytes(path: string, start: number, end: number): AsyncGenerator<Buffer> {
  let skipping = start > 0
  let position = start > 0 ? start - 1 : 0
  for await (const raw of createReadStream(path, { start: position })) {
    const buffer = raw as Buffer
    let from = 0
    if (skipping) {
      const nl = buffer.indexOf(10)
      if (nl < 0) {
        position += buffer.length
        continue
      }
      skipping = false
      from = nl + 1
      if (position + from >= end) return
    }
    const last = end - 1 - position
    if (last < buffer.length) {
      const nl = buffer.indexOf(10, Math.max(from, last))
      if (nl >= 0) {
        yield buffer.subarray(from, nl + 1)
        return
      }
    }
    yield from === 0 ? buffer : buffer.subarray(from)
    position += buffer.length
  }
}

/** Bytes that are not UTF-8, at the end of the valid ones handed over before it (`where` names them). */
export class InvalidUtf8 extends Error {
  readonly bytes: string
  constructor(bytes: string) {
    super(`bytes that are not UTF-8: ${bytes}`)
    this.bytes = bytes
  }
}

/**
 * WHATWG's UTF-8 decoder, counting errors: each error is one U+FFFD in `TextDecoder`'s output. Returns the number
 * of errors in `bytes[from, to)` and the offset of the first (-1: none).
 */
export const utf8Errors = (bytes: Uint8Array, from = 0, to = bytes.length): { readonly count: number; readonly first: number; readonly length: number } => {
  let count = 0
  let first = -1
  let length = 0
  let needed = 0
  let seen = 0
  let lower = 0x80
  let upper = 0xbf
  let start = 0
  /** An error: the bytes from `at` up to (not including) `until` are the bad sequence. */
  const error = (at: number, until: number) => {
    count++
    if (first < 0) {
      first = at
      length = until - at
    }
  }
  for (let i = from; i < to; i++) {
    const b = bytes[i]!
    if (needed === 0) {
      if (b <= 0x7f) continue
      start = i
      if (b >= 0xc2 && b <= 0xdf) needed = 1
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0
        if (b === 0xed) upper = 0x9f
        needed = 2
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90
        if (b === 0xf4) upper = 0x8f
        needed = 3
      } else error(i, i + 1)
      continue
    }
    if (b < lower || b > upper) {
      needed = 0
      seen = 0
      lower = 0x80
      upper = 0xbf
      error(start, i)
      i-- // read this byte again, as the start of what follows
      continue
    }
    lower = 0x80
    upper = 0xbf
    if (++seen === needed) {
      needed = 0
      seen = 0
    }
  }
  if (needed !== 0) error(start, to)
  return { count, first, length }
}

/** Where an incomplete character at the end of `bytes` begins (its length when there is none). */
const completeUpTo = (bytes: Uint8Array): number => {
  const n = bytes.length
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]!
    if ((b & 0xc0) === 0x80) continue
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return length > back ? n - back : n
  }
  return n
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')

/**
 * The bytes of a stream checked as UTF-8, in whole characters (a character cut between chunks is handed over
 * whole). Bytes that are not UTF-8: with `fail`, the valid bytes before them are handed over and then
 * `InvalidUtf8` is thrown (the reader names the line it was reading); with `replace`, each bad sequence becomes
 * U+FFFD and `onReplaced` counts them. Valid chunks cost one native check (simdutf).
 */
export async function* utf8Checked(input: AsyncIterable<Buffer>, mode: 'fail' | 'replace', onReplaced: (count: number) => void): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined
  const check = function* (data: Buffer, final: boolean): Generator<Buffer> {
    const cut = final ? data.length : completeUpTo(data)
    carry = cut < data.length ? Buffer.from(data.subarray(cut)) : undefined
    const body = cut === data.length ? data : data.subarray(0, cut)
    if (body.length === 0) return
    if (isUtf8(body)) {
      yield body
      return
    }
    const { count, first, length } = utf8Errors(body)
    if (mode === 'fail') {
      if (first > 0) yield body.subarray(0, first)
      throw new InvalidUtf8(hex(body.subarray(first, first + length)))
    }
    onReplaced(count)
    yield Buffer.from(body.toString('utf8'), 'utf8')
  }
  for await (const chunk of input) yield* check(carry === undefined ? chunk : Buffer.concat([carry, chunk]), false)
  if (carry !== undefined) yield* check(carry, true)
}
