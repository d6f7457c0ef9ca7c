/**
 * The Node entry: everything in the edge entry, plus loading configs from files.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import * as E from 'fp-ts/Either'
import { decodeConfigJson } from '../assignment/decode'
import type { Assigner } from '../assignment/model'
import { issue, invalidInput, type TouchpointError } from '../core/errors'

export * from '../assignment/index'

/**
 * Read and decode a config file. A missing or unreadable file is a `Left`, like a bad config; nothing throws.
 *
 * @example
 * const assigner = await loadConfigFile('experiments.json') // => right(Assigner) | left(TouchpointError)
 *
 * @category node
 * @since 0.1.0
 */
export const loadConfigFile = async (path: string): Promise<E.Either<TouchpointError, Assigner>> => {
  try {
    const text = await readFile(path, 'utf8')
    return E.mapLeft((e: TouchpointError) =>
      e._tag === 'InvalidInput' ? invalidInput(e.issues.map((i) => ({ ...i, file: path }))) : e,
    )(decodeConfigJson(text))
  } catch (e) {
    return E.left(invalidInput([{ ...issue('', 'a readable config file', path), file: path, actual: e instanceof Error ? e.message : String(e) }]))
  }
}
