/**
 * Reading, stage 3b (fields → **decoded rows**): one decoder per kind, reading each cell in place from a CSV
 * `FieldView` or from a parsed JSON object. Plain cells (digits, ISO timestamps of the common shape, 0/1
 * markers, known channel tokens) are read from character codes; every other cell, and so every error message,
 * goes through the io-ts codecs of `codec.ts`, which stay the definition of what a cell means. A property test
 * holds the two routes to the same rows and messages.
 *
 * A decoder returns `undefined` and fills its `row` when the line is good, or the line's error (every bad cell
 * named by its column, the value seen and the line), so the hot loop allocates nothing per good line.
 *
 * The path decoder lives in pathRows.ts, the event decoder in eventRows.ts, what they share in rowCells.ts; this
 * module names them together for the readers.
 *
 * @module
 */
export { columnIndex, headerOf, jsonField } from './rowCells'
/** @internal */
export { repeatedColumns } from './rowCells'
export { type PathDecoder, pathDecoder, type PathRow } from './pathRows'
export { type EventDecoder, eventDecoder, type EventRowOut } from './eventRows'
