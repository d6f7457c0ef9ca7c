/** Test fixtures for the edge adapters, whose config sources take compiled configs by default. */
import * as E from 'fp-ts/Either'
import { compileConfig } from '../src/assignment/decode'
import { formatError } from '../src/core/errors'
import { inlineConfig, type ConfigSourceOptions } from '../src/adapters/web'

/** A raw config compiled as `touchpoint compile` would (a test fixture must be valid: anything else throws). */
export const compiled = (config: unknown): unknown => {
  const c = compileConfig(config)
  if (E.isLeft(c)) throw new Error(`test fixture is not a valid config:\n${formatError(c.left)}`)
  return c.right
}

/** `inlineConfig` over the compiled form of a raw config. */
export const inlineCompiled = (config: unknown, options: ConfigSourceOptions = {}) => inlineConfig(compiled(config), options)
