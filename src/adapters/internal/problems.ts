/** The web adapters' error values and their default printing (console), shared by config loading and requests. */
import { invalidInput, issue, type TouchpointError } from '../../core/errors'

/** One issue: what was expected, what was seen, where. */
export const problem = (expected: string, actual: unknown, path = ''): TouchpointError => invalidInput([issue(path, expected, actual)])

/** A thrown value's message. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** An error as JSON for the default report; values JSON cannot write (a BigInt, a cycle) as text. */
export const showError = (e: TouchpointError): string => {
  try {
    return JSON.stringify(e, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
  } catch {
    return e._tag
  }
}
