/**
 * Reading the experiment config every config-taking command (`assign`, `validate`, `preview`, `compile`) is given:
 * UTF-8 checked, strict JSON (a key given twice is an error, a byte order mark is fine), and either a raw config
 * or the output of `touchpoint compile`.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { COMPILED_FORMAT, fromCompiledConfig } from '../assignment/compiled'
import { decodeConfig } from '../assignment/decode'
import type { Assigner } from '../assignment/model'
import { formatError, formatIssue, type Issue, type TouchpointError } from '../core/errors'
import { parseJson } from '../core/json'
import type { Io } from './io'
import { InvalidUtf8, readTextFile } from './textInput'

/** `file:line:column: path: expected …, got …` for an issue a JSON reader located. */
export const locatedIssue = (file: string, i: Issue): string => {
  const name = file === '-' ? '<stdin>' : file
  const { line, column, ...rest } = i
  return line === undefined ? `${name}: ${formatIssue(rest)}` : `${name}:${line}${column === undefined ? '' : `:${column}`}: ${formatIssue(rest)}`
}

/** Every issue of a JSON reading error, located in `file`. */
export const jsonProblem = (file: string, e: TouchpointError): string => (e._tag === 'InvalidInput' ? e.issues.map((i) => locatedIssue(file, i)).join('\n') : `${file}: ${formatError(e)}`)

/**
 * A JSON document from a file (or `-`), strictly: invalid UTF-8 and JSON errors (duplicate keys included) come
 * back as a message naming file, line and column.
 */
export const readJsonFile = async (path: string, io: Io): Promise<E.Either<string, unknown>> => {
  let text: string
  try {
    text = await readTextFile(path, io)
  } catch (e) {
    return E.left(e instanceof InvalidUtf8 ? e.message : `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
  const parsed = parseJson(text)
  return E.isLeft(parsed) ? E.left(jsonProblem(path, parsed.left)) : parsed
}

/** A loaded config, and whether it came compiled. */
export interface LoadedConfig {
  readonly assigner: Assigner
  readonly compiled: boolean
}

/** The output of `touchpoint compile` (by its format marker; the stamp is checked by `decodeConfigInput`). */
export const isCompiled = (input: unknown): input is { readonly format: unknown; readonly config: unknown } =>
  input !== null && typeof input === 'object' && (input as { format?: unknown }).format === COMPILED_FORMAT

/**
 * A config from JSON text already parsed: a compiled one must carry an intact stamp and is checked again with
 * every rule of this version (a config compiled by an older one may break a newer rule); issues of its inner
 * config are named under `config.`.
 */
export const decodeConfigInput = (input: unknown): E.Either<TouchpointError, LoadedConfig> => {
  if (!isCompiled(input)) return E.map((assigner: Assigner) => ({ assigner, compiled: false }))(decodeConfig(input))
  const stamped = fromCompiledConfig(input)
  if (E.isLeft(stamped)) return stamped
  const decoded = decodeConfig(input.config)
  if (E.isLeft(decoded)) {
    const e = decoded.left
    return E.left(e._tag === 'InvalidInput' ? { ...e, issues: e.issues.map((i) => ({ ...i, path: i.path === '' ? 'config' : `config.${i.path}` })) } : e)
  }
  return E.right({ assigner: decoded.right, compiled: true })
}

/** Read and decode a config file; the Left is the message to print (without the command's prefix). */
export const loadConfig = async (path: string, io: Io): Promise<E.Either<string, LoadedConfig>> => {
  const json = await readJsonFile(path, io)
  if (E.isLeft(json)) return json
  const decoded = decodeConfigInput(json.right)
  return E.isLeft(decoded) ? E.left(`${path} is not a valid config:\n${formatError(decoded.left).replace(/^/gm, '  ')}`) : E.right(decoded.right)
}
