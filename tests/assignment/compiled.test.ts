import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { compileConfig, decodeConfig } from '../../src/assignment/decode'
import { COMPILED_FORMAT, fromCompiledConfig } from '../../src/assignment/compiled'
import { assign } from '../../src/assignment/assign'
import { formatError } from '../../src/core/errors'
import { arbConfigInput, arbUnitId } from '../_arbitraries'

const compiledText = (config: unknown): string => {
  const c = compileConfig(config)
  if (E.isLeft(c)) throw new Error(formatError(c.left))
  return JSON.stringify(c.right)
}

describe('compiled configs', () => {
  test.prop([arbConfigInput, fc.array(arbUnitId, { minLength: 5, maxLength: 5 })])(
    'a compiled config, stored as JSON and loaded back, assigns exactly as the decoded config',
    (config, ids) => {
      const loaded = fromCompiledConfig(JSON.parse(compiledText(config)))
      const decoded = decodeConfig(config)
      if (E.isLeft(loaded) || E.isLeft(decoded)) throw new Error('expected both to load')
      for (const userId of ids) expect(pipe(loaded.right, assign({ userId }))).toEqual(pipe(decoded.right, assign({ userId })))
    },
  )

  test.prop([arbConfigInput, fc.double({ min: 0, max: 1, noNaN: true })])('any edit after compiling is caught by the checksum', (config, coverage) => {
    const compiled = JSON.parse(compiledText(config)) as { config: { experiments: Array<{ coverage?: number }> } }
    const before = compiled.config.experiments[0]!.coverage
    compiled.config.experiments[0]!.coverage = coverage
    const r = fromCompiledConfig(compiled)
    if (before === coverage) expect(E.isRight(r)).toBe(true)
    else expect(E.isLeft(r) && formatError(r.left)).toMatch(/^checksum: expected [0-9a-f]{16}, the checksum of this config \(it changed after it was compiled/)
  })

  it('a raw config is refused with a pointer to touchpoint compile', () => {
    const r = fromCompiledConfig({ experiments: [] })
    expect(E.isLeft(r) && formatError(r.left)).toBe(
      `format: expected "${COMPILED_FORMAT}": a compiled config (run "touchpoint compile CONFIG", or pass decodeConfig to validate raw configs where they are loaded), got nothing (the field is missing)`,
    )
    for (const bad of [null, 'x', 42, { format: COMPILED_FORMAT }, { format: COMPILED_FORMAT, config: { experiments: 'no' } }]) {
      expect(E.isLeft(fromCompiledConfig(bad))).toBe(true)
    }
  })

  it('compiling reports the same problems as decoding', () => {
    const bad = { experiments: [{ key: 'x', variants: [{ key: 'a', weight: 2 }] }] }
    expect(compileConfig(bad)).toEqual(decodeConfig(bad))
  })
})

describe('the compiled example config', () => {
  it('is current: examples/edge-experiments.compiled.json is what touchpoint compile makes of edge-experiments.json', async () => {
    const { readFileSync } = await import('node:fs')
    const read = (name: string) => JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')) as unknown
    const fresh = compileConfig(read('edge-experiments.json'))
    expect(E.isRight(fresh) && fresh.right).toEqual(read('edge-experiments.compiled.json'))
  })
})
