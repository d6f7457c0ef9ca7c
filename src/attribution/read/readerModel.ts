/**
 * The reading pipeline's contract: a `Reader` hands out a `SourceReader` per source (told by `SourceHints`) and
 * ends with a `ReadTally` of rows, skipped and `BadLine`s. Split from reader.ts.
 *
 * @module
 */
import { type TouchpointError } from '../../core/errors'
import { type PathDecoder } from './rows'
import { type InputFormat, type InputKind } from './settings'

/**
 * A line that could not be read, where it is (`line` counted within the source, or within a shard of it) and
 * why; `error` is the decoder's error when one rejected the line.
 *
 * @category reading
 * @since 0.2.0
 */
export interface BadLine {
  readonly source: number
  readonly line: number
  readonly message: string
  readonly error?: TouchpointError
}

/**
 * What a read saw, over all its sources.
 *
 * - `rows`: data rows read well (header and blank lines aside), `ignored` of them event rows that were neither a
 *   touch (no channel) nor a conversion;
 * - `skipped`: bad lines (with `onError: 'skip'`; in `fail` mode the one that stopped the read);
 * - `bad`: the first `maxReasons` of them (always the failing one);
 * - `failed`: a bad line, a bad header or a source problem stopped the read;
 * - `lines`: lines seen per source (shards add them up into line numbers);
 * - `multiLine`: per source, whether a quoted CSV field spanned lines (byte-range shards cannot be trusted then);
 * - `replacedUtf8`: byte sequences that were not UTF-8, replaced (with `invalidUtf8: 'replace'`);
 * - `kind`: what the sources held (undefined when nothing could tell);
 * - `peakOpenUsers`, `timeOrdered`: for events, the most users held at once, and whether the input was in time
 *   order (so users could be closed as it went).
 *
 * @category reading
 * @since 0.2.0
 */
export interface ReadTally {
  readonly rows: number
  readonly ignored: number
  readonly skipped: number
  readonly bad: ReadonlyArray<BadLine>
  readonly failed: boolean
  readonly lines: ReadonlyArray<number>
  readonly multiLine: ReadonlyArray<boolean>
  readonly replacedUtf8: number
  readonly kind: InputKind | undefined
  readonly peakOpenUsers: number
  readonly timeOrdered: boolean
}

/**
 * Where a source comes from and what is known of it before its text arrives.
 *
 * - `name`: for messages (a file name, `-` for standard input);
 * - `format`: known from the file name (else the first line tells);
 * - `header`: the CSV header read elsewhere (a byte-range shard that starts after it);
 * - `headerLine`: with `header`, whether the source's first line is that header (the first shard) or not.
 *
 * @category reading
 * @since 0.2.0
 */
export interface SourceHints {
  readonly name: string
  readonly format?: InputFormat
  readonly header?: ReadonlyArray<string>
  readonly headerLine?: boolean
}

/**
 * One source being read: `push` its text, `end` it. Lanes that find lines themselves (the WebAssembly scanner of
 * path CSV) hand the lines they decline to `line`, count their own rows with `laneRows`, and ask `pathLane` for
 * the layout once the header is read and `busy` whether a quoted field is open.
 *
 * @category reading
 * @since 0.2.0
 */
export interface SourceReader {
  readonly push: (text: string) => boolean
  /** The end of the source; a lane that counted lines itself gives their number. */
  readonly end: (linesSeen?: number) => boolean
  readonly line: (text: string, start: number, end: number, line: number) => boolean
  /**
   * For a path CSV whose header is read: the header, for a lane to configure, and the tokens of the last row the
   * general route read (for the lane to learn).
   */
  readonly pathLane: () => { readonly header: ReadonlyArray<string>; readonly eachToken: PathDecoder['eachToken'] } | undefined
  readonly busy: () => boolean
  /**
   * For a lane reading JSON lines of paths (src/files/jsonLane.ts): line `line` as `record`, the object the lane
   * parsed with the path's string left empty, and `path` giving the path's channel ids (from `channelIndex`, in
   * path order), which it reads from the bytes; `path` is asked only when the record is a good path row but for
   * its path. Undefined: the line is the general route's after all (not a path source, a bad amount, `path`
   * declined), and the lane hands it to `line`, which reads it whole.
   */
  readonly jsonPath: (record: Readonly<Record<string, unknown>>, line: number, path: () => { readonly ids: ArrayLike<number>; readonly n: number } | undefined) => boolean | undefined
  readonly laneRows: (rows: number) => void
  /** Data rows read so far in this read (a lane tells whether the line it handed over was taken as one row). */
  readonly rows: () => number
  /** Stops the read with a problem of the source itself (bytes that are not UTF-8): what was expected, what was seen. */
  readonly fail: (line: number, expected: string, actual: unknown) => void
  /** The number of the line being read (for messages about the bytes themselves). */
  readonly currentLine: () => number
  /** Counts byte sequences replaced as not UTF-8. */
  readonly replaced: (count: number) => void
}

/**
 * A read in progress: sources read in turn, then `finish` closes the open journeys and says what was read.
 *
 * @category reading
 * @since 0.2.0
 */
export interface Reader {
  readonly source: (hints: SourceHints) => SourceReader
  readonly finish: () => ReadTally
  readonly failed: () => boolean
}
