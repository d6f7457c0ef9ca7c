/**
 * The providers under plain JavaScript: constructed with anything, called with anything, they answer (a default
 * value with an error code at worst) and never throw or reject.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { TouchpointProvider, TouchpointWebProvider } from '../../src/openfeature/index'
import { decodeConfig } from '../../src/assignment/index'
import { arbPlain } from '../_total'
import { CONFIG } from './_fixtures'

beforeAll(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined)
})
afterAll(() => {
  vi.restoreAllMocks()
})

const METHODS = ['resolveBooleanEvaluation', 'resolveStringEvaluation', 'resolveNumberEvaluation', 'resolveObjectEvaluation', 'track', 'setConfig'] as const

describe('providers under plain JavaScript', () => {
  // Found by the export-surface suite (tests/package/surface.test.ts): an Assigner edited by hand reached setConfig.
  it('setConfig with a hand-edited Assigner names only string keys and does not throw', () => {
    const decoded = decodeConfig(CONFIG)
    if (decoded._tag === 'Left') throw new Error('fixture')
    for (const Provider of [TouchpointProvider, TouchpointWebProvider]) {
      const provider = new Provider(decoded.right, { report: () => undefined })
      const edited = { ...decoded.right, experiments: [undefined, null, { ...decoded.right.experiments[0], key: Number.NaN }, ...decoded.right.experiments] }
      expect(provider.setConfig(edited as never)).toEqual({ _tag: 'Right', right: [] })
      expect(provider.setConfig({ ...decoded.right, experiments: 'none' } as never)).toMatchObject({ _tag: 'Right' })
    }
  })

  test.prop([fc.constantFrom(TouchpointProvider, TouchpointWebProvider), arbPlain([CONFIG, JSON.stringify(CONFIG)]), arbPlain(), fc.constantFrom(...METHODS), fc.array(arbPlain(['hero', { targetingKey: 'u' }, CONFIG]), { maxLength: 4 })], { numRuns: 1500 })(
    'construct with anything, call any method with anything',
    async (Provider, config, options, method, args) => {
      const provider = new Provider(config as never, options as never)
      const call = (provider[method] as (...a: Array<unknown>) => unknown).bind(provider)
      await expect(Promise.resolve().then(() => call(...args))).resolves.not.toThrow()
    },
  )
})
