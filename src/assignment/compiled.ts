/**
 * Compiled configs: validate once where size does not matter (CI, the CLI, a Node service), load cheaply where
 * it does (an edge function).
 *
 * `compileConfig` runs every check of `decodeConfig` and stamps the config with a format marker and a checksum of
 * its JSON text. `fromCompiledConfig` checks only the stamp and builds the `Assigner`: no io-ts, no rule checks,
 * so an edge worker that loads compiled configs bundles to about 4.5 KB min+gzip instead of about 7.3 KB. The checksum
 * guards against configs that were edited or truncated after compiling and against raw configs given by
 * mistake; it is an integrity check, not a signature (the store the config comes from must be trusted).
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { buildAssigner } from './build'
import type { ConfigInput } from './codec'
import { nativeHash } from './hash'
import type { Assigner } from './model'

/**
 * The format marker of compiled configs.
 *
 * @category compiled
 * @since 0.1.0
 */
export const COMPILED_FORMAT = 'touchpoint-compiled/1'

/**
 * A validated config with its stamp. Serialize it with `JSON.stringify` and store it as it is.
 *
 * @category compiled
 * @since 0.1.0
 */
export interface CompiledConfig {
  readonly format: typeof COMPILED_FORMAT
  /** 64 bits, hex: two native hashes of `JSON.stringify(config)` under the seeds `checksum:a` and `checksum:b`. */
  readonly checksum: string
  readonly config: ConfigInput
}

const hex = (n: number) => n.toString(16).padStart(8, '0')

// Plain objects rather than fp-ts's constructors: importing fp-ts/Either's values brings its instances (1.8 KB
// minified) into every edge bundle that loads a compiled config.
const left = (e: TouchpointError): E.Either<TouchpointError, never> => ({ _tag: 'Left', left: e })

/** @internal */
export const checksumOf = (config: ConfigInput): string => {
  const text = JSON.stringify(config)
  return hex(nativeHash('checksum:a', text)) + hex(nativeHash('checksum:b', text))
}

/** @internal */
export const stamp = (config: ConfigInput): CompiledConfig => ({ format: COMPILED_FORMAT, checksum: checksumOf(config), config })

/**
 * Build an `Assigner` from a compiled config (parsed JSON), checking only its stamp.
 *
 * **Gotchas**: a raw config is refused (compile it with `compileConfig` or `touchpoint compile`), and so is a
 * compiled config edited by hand (compile it again).
 *
 * @example
 * const compiled = JSON.parse(await env.CONFIG.get('experiments'))
 * fromCompiledConfig(compiled) // => right(Assigner)
 * fromCompiledConfig({ experiments: [] }) // => left('format: expected "touchpoint-compiled/1"…')
 *
 * @category compiled
 * @since 0.1.0
 */
export const fromCompiledConfig = (input: unknown): E.Either<TouchpointError, Assigner> => {
  const compiled = input as Partial<CompiledConfig> | null
  if (compiled === null || typeof compiled !== 'object' || compiled.format !== COMPILED_FORMAT) {
    return left(
      invalidInput([
        issue(
          'format',
          `"${COMPILED_FORMAT}": a compiled config (run "touchpoint compile CONFIG", or pass decodeConfig to validate raw configs where they are loaded)`,
          compiled !== null && typeof compiled === 'object' ? compiled.format : compiled,
        ),
      ]),
    )
  }
  const config = compiled.config
  if (config === null || typeof config !== 'object' || !Array.isArray(config.experiments)) {
    return left(invalidInput([issue('config', 'the compiled config itself', config)]))
  }
  let checksum: string
  try {
    checksum = checksumOf(config)
  } catch {
    // A BigInt or a cycle inside (plain JavaScript): no JSON, so not what compileConfig wrote.
    return left(invalidInput([issue('config', 'JSON data', config)]))
  }
  if (checksum !== compiled.checksum) {
    return left(invalidInput([issue('checksum', `${checksum}, the checksum of this config (it changed after it was compiled: compile it again)`, compiled.checksum)]))
  }
  return { _tag: 'Right', right: buildAssigner(config) }
}
