/**
 * TouchpointProvider through the real @openfeature/server-sdk (a devDependency), its public client only.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { OpenFeature, ProviderEvents, type EventDetails } from '@openfeature/server-sdk'
import type { Exposure } from '../../src/assignment/exposure'
import { toExposure } from '../../src/assignment/exposure'
import { TouchpointProvider, type TrackedEvent } from '../../src/openfeature/index'
import { arbUnitId } from '../_arbitraries'
import { assigner, CONFIG, expected } from './_fixtures'

const NOW = Date.UTC(2026, 10, 23, 10, 15, 30, 123)

const start = async (config: unknown = CONFIG, options = {}) => {
  const exposures: Array<Exposure> = []
  const events: Array<TrackedEvent> = []
  const provider = new TouchpointProvider(config as never, { sink: (xs) => void exposures.push(...xs), track: (xs) => void events.push(...xs), now: () => NOW, report: () => undefined, ...options })
  await OpenFeature.setProviderAndWait(provider)
  return { provider, client: OpenFeature.getClient(), exposures, events }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

afterEach(async () => {
  await OpenFeature.clearProviders()
})

describe('TouchpointProvider with @openfeature/server-sdk', () => {
  test.prop([fc.array(fc.tuple(arbUnitId, fc.constantFrom('DE', 'US', undefined)), { minLength: 25, maxLength: 25 })], { numRuns: 20 })(
    'typed details equal the core assignment: value, variant, reason, flag metadata; an exposure per enrolled evaluation',
    async (units) => {
      const { client, exposures } = await start()
      for (const [userId, country] of units) {
        const context = { targetingKey: userId, ...(country === undefined ? {} : { country }) }
        const unit = { userId, ...(country === undefined ? {} : { country }) }
        const checks = [
          ['new-checkout', await client.getBooleanDetails('new-checkout', false, context)],
          ['hero', await client.getStringDetails('hero', 'fallback', context)],
          ['discount', await client.getNumberDetails('discount', -1, context)],
          ['layout', await client.getObjectDetails('layout', {}, context)],
          ['plain', await client.getStringDetails('plain', 'fallback', context)],
        ] as const
        for (const [key, details] of checks) {
          const a = expected(key, unit)
          if (a._tag === 'Enrolled') {
            expect(details).toMatchObject({ flagKey: key, value: a.value ?? a.variant, variant: a.variant, reason: a.override ? 'TARGETING_MATCH' : 'SPLIT' })
            expect(details.flagMetadata).toMatchObject({ experiment: key, bucket: a.bucket, hashVersion: 'tp1', configVersion: 'of-1', variantIndex: a.variantIndex, unitId: userId })
          } else {
            expect(details).toMatchObject({ flagKey: key, reason: 'DEFAULT', value: { 'new-checkout': false, hero: 'fallback', discount: -1, layout: {}, plain: 'fallback' }[key] })
            expect(details.errorCode).toBeUndefined()
          }
        }
      }
      await settle()
      const enrolled = units.flatMap(([userId, country]) =>
        ['new-checkout', 'hero', 'discount', 'layout', 'plain'].map((key) => expected(key, { userId, ...(country === undefined ? {} : { country }) })).filter((a) => a._tag === 'Enrolled'),
      )
      expect(exposures).toEqual(enrolled.map((a) => ({ ...toExposure(assigner, NOW)(a as never) })))
      expect(exposures.every((x) => x.timestamp === '2026-11-23T10:15:30.123Z')).toBe(true)
    },
  )

  it('reasons and error codes: override, stopped, unknown flag, type mismatch, no targeting key, unreadable config', async () => {
    const { client } = await start()
    expect(await client.getBooleanDetails('new-checkout', false, { targetingKey: 'qa-anna' })).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' })
    expect(await client.getBooleanDetails('old', false, { targetingKey: 'u-1' })).toMatchObject({ value: false, reason: 'DISABLED' })
    expect(await client.getBooleanDetails('nope', false, { targetingKey: 'u-1' })).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' })
    expect(await client.getNumberDetails('hero', 7, { targetingKey: 'u-1', country: 'DE' })).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' })
    expect(await client.getBooleanDetails('plain', false, { targetingKey: 'u-1' })).toMatchObject({ value: false, errorCode: 'TYPE_MISMATCH' })
    expect(await client.getBooleanDetails('new-checkout', false, {})).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' })
    // The experiment's own unit attribute serves when there is no targeting key.
    expect((await client.getBooleanDetails('new-checkout', false, { userId: 'qa-anna' })).reason).toBe('TARGETING_MATCH')
    await OpenFeature.clearProviders()
    const bad = await start('{"experiments": [')
    expect(await bad.client.getBooleanDetails('new-checkout', true, { targetingKey: 'u-1' })).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'PARSE_ERROR' })
  })

  it('track() records events in the raw-log analysis shape', async () => {
    const { client, events } = await start()
    client.track('purchase', { targetingKey: 'u-7' }, { value: 42.5 })
    client.track('signup', { targetingKey: 'u-8' })
    await settle()
    expect(events).toEqual([
      { unit_id: 'u-7', timestamp: '2026-11-23T10:15:30.123Z', event: 'purchase', value: 42.5 },
      { unit_id: 'u-8', timestamp: '2026-11-23T10:15:30.123Z', event: 'signup', value: null },
    ])
  })

  it('setConfig emits PROVIDER_CONFIGURATION_CHANGED with the changed flags, and answers from the new config', async () => {
    const { provider, client } = await start()
    const seen: Array<EventDetails | undefined> = []
    OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (d) => void seen.push(d))
    const changed = { ...CONFIG, experiments: CONFIG.experiments.map((x) => (x.key === 'discount' ? { ...x, variants: [{ key: 'none', value: 0 }, { key: 'fifty', value: 50 }] } : x)) }
    expect(provider.setConfig(changed)).toEqual({ _tag: 'Right', right: ['discount'] })
    await settle()
    expect(seen.map((d) => d?.flagsChanged)).toEqual([['discount']])
    expect([0, 50]).toContain(await client.getNumberValue('discount', -1, { targetingKey: 'u-1' }))
    expect(provider.setConfig('not json')._tag).toBe('Left')
    expect([0, 50]).toContain(await client.getNumberValue('discount', -1, { targetingKey: 'u-1' })) // the last good config stays
    OpenFeature.removeHandler(ProviderEvents.ConfigurationChanged, () => undefined)
  })

  it('a sink that throws is reported, never thrown into the evaluation', async () => {
    const reports: Array<string> = []
    const { client } = await start(CONFIG, { sink: () => { throw new Error('down') }, report: (_: unknown, where: string) => void reports.push(where) })
    expect(await client.getBooleanValue('new-checkout', false, { targetingKey: 'qa-anna' })).toBe(true)
    await settle()
    expect(reports).toEqual(['sink'])
  })

  it('takes a compiled config and a decoded Assigner as well as raw JSON text', async () => {
    const { compileConfig } = await import('../../src/assignment/decode')
    const compiled = compileConfig(CONFIG)
    for (const config of [JSON.stringify(CONFIG), compiled._tag === 'Right' ? compiled.right : undefined, assigner]) {
      const { client } = await start(config)
      expect(await client.getBooleanValue('new-checkout', false, { targetingKey: 'qa-anna' })).toBe(true)
      await OpenFeature.clearProviders()
    }
  })
})
