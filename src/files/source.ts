/**
 * Reading, stage 1 (**source** → bytes): files, byte ranges of files (worker shards), standard input, gzip
 * recognised by its magic number whatever the name and decompressed as it streams (concatenated members
 * included), and the UTF-8 check every byte passes before the pipeline reads it (with `core/utf8.ts`, as every text input of the CLI).
 *
 * @module
 */
import { isUtf8 } from 'node:buffer'
import { createReadStream } from 'node:fs'
import { createGunzip } from 'node:zlib'
import { incompleteTail, scanUtf8 } from '../core/utf8'

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
      for await (const chunk of rest()) {
        if (gunzip.destroyed) break
        // A reader that stops early destroys the stream, which then never drains: wait for either.
        if (!gunzip.write(chunk)) await new Promise<void>((r) => {
          const go = () => {
            gunzip.off('drain', go).off('close', go)
            r()
          }
          gunzip.once('drain', go).once('close', go)
        })
      }
      if (!gunzip.destroyed) gunzip.end()
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

/** Bytes that are not UTF-8, thrown after the valid ones before them were handed over (the reader names the line). */
export class InvalidUtf8 extends Error {
  readonly bytes: string
  constructor(bytes: string) {
    super(`invalid UTF-8 (${bytes})`)
    this.bytes = bytes
  }
}

/** The bad sequence at `at` as hex, up to the next ASCII byte (at most four bytes): what a user can look for. */
const hexAt = (bytes: Uint8Array, at: number): string => {
  const out: Array<string> = []
  for (let i = at; i < bytes.length && out.length < 4 && (i === at || bytes[i]! >= 0x80); i++) out.push(`0x${bytes[i]!.toString(16).padStart(2, '0')}`)
  return out.join(' ')
}

/**
 * The bytes of a stream checked as UTF-8, in whole characters (a character cut between chunks is handed over
 * whole). Bytes that are not UTF-8: with `fail`, the valid bytes before them are handed over and then
 * `InvalidUtf8` is thrown (the reader names the line it was reading); with `replace`, each bad sequence becomes
 * U+FFFD and `onReplaced` counts them. Valid chunks cost one native check (simdutf).
 */
export async function* utf8Checked(input: AsyncIterable<Buffer>, mode: 'fail' | 'replace', onReplaced: (count: number) => void): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined
  const check = function* (data: Buffer, final: boolean): Generator<Buffer> {
    const cut = final ? data.length : data.length - incompleteTail(data)
    carry = cut < data.length ? Buffer.from(data.subarray(cut)) : undefined
    const body = cut === data.length ? data : data.subarray(0, cut)
    if (body.length === 0) return
    if (isUtf8(body)) {
      yield body
      return
    }
    const { invalid, first } = scanUtf8(body)
    if (mode === 'fail') {
      if (first > 0) yield body.subarray(0, first)
      throw new InvalidUtf8(hexAt(body, first))
    }
    onReplaced(invalid)
    yield Buffer.from(body.toString('utf8'), 'utf8')
  }
  for await (const chunk of input) yield* check(carry === undefined ? chunk : Buffer.concat([carry, chunk]), false)
  if (carry !== undefined) yield* check(carry, true)
}
