/**
 * TouchpointWebProvider through the real @openfeature/web-sdk (a devDependency): synchronous evaluation against
 * the context the app sets, hooks, track and configuration changes through the public API.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { OpenFeature, ProviderEvents, type EventDetails } from '@openfeature/web-sdk'
import type { Exposure } from '../../src/assignment/exposure'
import { TouchpointWebProvider, type TrackedEvent } from '../../src/openfeature/index'
import { arbUnitId } from '../_arbitraries'
import { CONFIG, expected } from './_fixtures'

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 6)
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

const start = async (context: Record<string, string>) => {
  const exposures: Array<Exposure> = []
  const events: Array<TrackedEvent> = []
  const provider = new TouchpointWebProvider(CONFIG, { sink: (xs) => void exposures.push(...xs), track: (xs) => void events.push(...xs), now: () => NOW })
  await OpenFeature.setProviderAndWait(provider, context)
  return { provider, client: OpenFeature.getClient(), exposures, events }
}

afterEach(async () => {
  await OpenFeature.clearProviders()
  await OpenFeature.clearContext()
})

describe('TouchpointWebProvider with @openfeature/web-sdk', () => {
  test.prop([fc.array(arbUnitId, { minLength: 10, maxLength: 10 })], { numRuns: 10 })('synchronous details for the context set, changing with it', async (ids) => {
    const { client } = await start({ targetingKey: ids[0]!, country: 'DE' })
    for (const id of ids) {
      await OpenFeature.setContext({ targetingKey: id, country: 'DE' })
      const details = client.getStringDetails('hero', 'fallback')
      const a = expected('hero', { userId: id, country: 'DE' })
      expect(details).toMatchObject(a._tag === 'Enrolled' ? { value: a.value, variant: a.variant, reason: 'SPLIT' } : { value: 'fallback', reason: 'DEFAULT' })
      const b = expected('new-checkout', { userId: id })
      expect(client.getBooleanValue('new-checkout', false)).toBe(b._tag === 'Enrolled' ? b.value : false)
    }
  })

  it('errors, hooks, track and configuration changes', async () => {
    const { provider, client, exposures, events } = await start({ targetingKey: 'qa-anna' })
    expect(client.getBooleanDetails('new-checkout', false)).toMatchObject({ value: true, reason: 'TARGETING_MATCH', flagMetadata: { experiment: 'new-checkout', configVersion: 'of-1' } })
    expect(client.getNumberDetails('new-checkout', 3)).toMatchObject({ value: 3, errorCode: 'TYPE_MISMATCH' })
    expect(client.getBooleanDetails('nope', false)).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' })
    await settle()
    expect(exposures).toEqual([expect.objectContaining({ experiment: 'new-checkout', variant: 'on', unitId: 'qa-anna', override: true, timestamp: '2026-01-02T03:04:05.006Z' })])
    client.track('purchase', { value: 9 })
    await settle()
    expect(events).toEqual([{ unit_id: 'qa-anna', timestamp: '2026-01-02T03:04:05.006Z', event: 'purchase', value: 9 }])
    const seen: Array<EventDetails | undefined> = []
    client.addHandler(ProviderEvents.ConfigurationChanged, (d) => void seen.push(d))
    provider.setConfig({ ...CONFIG, experiments: CONFIG.experiments.filter((x) => x.key !== 'new-checkout') })
    await settle()
    expect(seen.map((d) => d?.flagsChanged)).toEqual([['new-checkout']])
    expect(client.getBooleanDetails('new-checkout', false)).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' })
  })
})
