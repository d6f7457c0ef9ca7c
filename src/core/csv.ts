/**
 * An incremental RFC 4180 CSV reader: feed it text in chunks of any size, get records with the line they start
 * on. Quoted fields may hold commas, doubled quotes and newlines. No I/O here: the CLI feeds it from streams.
 *
 * @module
 */

/**
 * One CSV record and the 1-based line it starts on.
 *
 * @category csv
 * @since 0.1.0
 */
export interface CsvRecord {
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

/**
 * A CSV reader's state machine: `push` text, take the completed records, `end` at end of input.
 * A malformed record (a quote inside an unquoted field, an unterminated quote) is reported through `error` on
 * the record, so a caller can skip it or stop with the line number.
 *
 * @category csv
 * @since 0.1.0
 */
export interface CsvReader {
  readonly push: (chunk: string) => ReadonlyArray<CsvRecord | CsvProblem>
  readonly end: () => ReadonlyArray<CsvRecord | CsvProblem>
}

/**
 * A record that could not be read, and why.
 *
 * @category csv
 * @since 0.1.0
 */
export interface CsvProblem {
  readonly line: number
  readonly error: string
}

/**
 * Refinement for `CsvProblem`.
 *
 * @category csv
 * @since 0.1.0
 */
export const isCsvProblem = (r: CsvRecord | CsvProblem): r is CsvProblem => 'error' in r

/**
 * A new CSV reader. `delimiter` defaults to `,`.
 *
 * @example
 * const reader = csvReader()
 * reader.push('id,name\n1,"a, b"\n2,')
 * // => [{ line: 1, fields: ['id', 'name'] }, { line: 2, fields: ['1', 'a, b'] }]
 * reader.end() // => [{ line: 3, fields: ['2', ''] }]
 *
 * @category csv
 * @since 0.1.0
 */
export const csvReader = (options: { readonly delimiter?: string } = {}): CsvReader => {
  const delimiter = options.delimiter ?? ','
  let fields: Array<string> = []
  let field = ''
  let inQuotes = false
  let quoteClosed = false // just saw the closing quote of a quoted field
  let problem: string | undefined
  let line = 1
  let recordLine = 1
  let pendingCR = false
  let started = false // the current record has any content

  const finishRecord = (out: Array<CsvRecord | CsvProblem>) => {
    fields.push(field)
    if (problem !== undefined) out.push({ line: recordLine, error: problem })
    else if (started) out.push({ line: recordLine, fields })
    fields = []
    field = ''
    quoteClosed = false
    problem = undefined
    started = false
  }

  const push = (chunk: string): ReadonlyArray<CsvRecord | CsvProblem> => {
    const out: Array<CsvRecord | CsvProblem> = []
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!
      if (pendingCR) {
        pendingCR = false
        if (ch === '\n') continue // CRLF: the record already ended at CR
      }
      if (!started) {
        recordLine = line
      }
      if (inQuotes) {
        if (ch === '"') {
          // Closing, unless the next character is another quote: the not-in-quotes branch below then reopens
          // the field with a literal quote. This also handles `""` split across two chunks.
          inQuotes = false
          quoteClosed = true
        } else {
          if (ch === '\n') line++
          field += ch
        }
        continue
      }
      if (ch === '"') {
        if (quoteClosed) {
          // `""` split across chunks, or `"a""b"`: an escaped quote inside a quoted field.
          field += '"'
          inQuotes = true
          quoteClosed = false
        } else if (field === '') {
          inQuotes = true
          started = true
        } else {
          problem ??= `a quote inside an unquoted field (field ${fields.length + 1}); quote the whole field and double inner quotes`
          field += ch
        }
        continue
      }
      if (ch === delimiter) {
        fields.push(field)
        field = ''
        quoteClosed = false
        started = true
        continue
      }
      if (ch === '\n' || ch === '\r') {
        finishRecord(out)
        line++
        if (ch === '\r') pendingCR = true
        continue
      }
      if (quoteClosed) problem ??= `text after the closing quote of field ${fields.length + 1}`
      field += ch
      started = true
    }
    return out
  }

  const end = (): ReadonlyArray<CsvRecord | CsvProblem> => {
    const out: Array<CsvRecord | CsvProblem> = []
    if (inQuotes) {
      problem ??= 'a quoted field that is never closed'
      started = true
    }
    if (started || field !== '' || fields.length > 0) finishRecord(out)
    return out
  }

  return { push, end }
}
