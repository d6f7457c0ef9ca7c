/**
 * The in-process engine of `touchpoint analyze --exposures ...`: both log files streamed, exposures first, into
 * the experiments reducer.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError, formatIssue, type Issue } from '../core/errors'
import type { Metrics } from '../experiments/model'
import { logReducer } from '../experiments/reduce'
import { decodeEvent, decodeExposure, eventLayout, exposureLayout, isIssue, type TimeUnit } from '../experiments/rows'
import { say, type Io } from './io'
import { readLog, type LogReadOptions } from './logInput'
import { type SumsSource } from './sequentialSeries'
import { replacedNote, textTally } from './textInput'
import { columnsOf, untimedProblem, type Values } from './analyzeLogsFlags'

const issueText = (i: Issue): string => {
  const { file, line, ...rest } = i
  return `${file === undefined ? '' : file}${line === undefined ? '' : `:${line}`}${file === undefined && line === undefined ? '' : ': '}${formatIssue(rest)}`
}

/** The in-process engine: both files streamed (exposures first) into the reducer. */
export const inProcess = (values: Values, metrics: Metrics, io: Io): SumsSource => {
  const read: LogReadOptions = {
    ...(values['input-format'] === undefined ? {} : { format: values['input-format'] as 'csv' | 'jsonl' }),
    ...(values.delimiter === undefined ? {} : { delimiter: values.delimiter }),
    ...(values['replace-invalid-utf8'] === true ? { replaceInvalid: true } : {}),
  }
  const unit = (values['time-unit'] ?? 'ms') as TimeUnit
  const columns = columnsOf(values)
  let notified = false
  return async (asOf) => {
    const made = logReducer({ metrics, ...(values.experiment === undefined ? {} : { experiment: values.experiment }), ...(asOf === undefined ? {} : { asOf }), dimension: values.dimension !== undefined })
    if (E.isLeft(made)) return E.left(formatError(made.left))
    const reducer = made.right
    const tally = textTally()
    let timed = true
    let decodeX: ReturnType<typeof decodeExposure> | undefined
    const exposures = await readLog(values.exposures!, read, tally, {
      columns: (names) => {
        const l = exposureLayout(names, columns.exposure, columns.given.exposure)
        if ('issue' in l) return l.issue
        timed = l.layout.at.time !== undefined
        const untimed = timed ? undefined : untimedProblem(metrics, values)
        if (untimed !== undefined) return { path: columns.exposure.time, expected: untimed, actual: undefined }
        decodeX = decodeExposure(l.layout, unit)
        return undefined
      },
      row: (cells, line) => {
        const r = decodeX!(cells, line)
        if (isIssue(r)) return r
        reducer.push(r)
        return undefined
      },
    })
    if (E.isLeft(exposures)) return E.left(issueText(exposures.left))
    const events = reducer.done()
    if (events.experiments.length === 0) {
      return E.left(
        values.experiment === undefined
          ? `${values.exposures}: no exposure rows${asOf === undefined ? '' : ' before the cut-off'}`
          : `${values.exposures}: no exposure rows for experiment ${JSON.stringify(values.experiment)}${asOf === undefined ? '' : ' before the cut-off'}`,
      )
    }
    let decodeE: ReturnType<typeof decodeEvent> | undefined
    const read2 = await readLog(values.events!, read, tally, {
      columns: (names, format) => {
        const l = eventLayout(names, columns.event, metrics, columns.given.event, { checkValues: format !== 'jsonl' })
        if ('issue' in l) return l.issue
        decodeE = decodeEvent(l.layout, metrics, unit)
        return undefined
      },
      row: (cells, line) => {
        const r = decodeE!(cells, line)
        if (r === undefined) return undefined
        if (isIssue(r)) return r
        events.push(r)
        return undefined
      },
    })
    if (E.isLeft(read2)) return E.left(issueText(read2.left))
    if (!notified) {
      notified = true
      for (const [file] of [[values.exposures!], [values.events!]]) {
        const note = replacedNote('analyze', file!, tally)
        if (note !== undefined) say(io, note)
      }
    }
    return E.right({ sums: events.done(), span: events.span(), experiments: events.experiments })
  }
}
