/** One config for both providers' tests: values of every type, an override, targeting, a stopped experiment. */
import * as E from 'fp-ts/Either'
import { assignTo } from '../../src/assignment/assign'
import { decodeConfig } from '../../src/assignment/decode'
import type { Assigner, Unit } from '../../src/assignment/model'

export const CONFIG = {
  version: 'of-1',
  experiments: [
    { key: 'new-checkout', unit: 'userId', overrides: { 'qa-anna': 'on' }, variants: [{ key: 'off', value: false }, { key: 'on', value: true }] },
    { key: 'hero', unit: 'userId', coverage: 0.8, targeting: [{ attribute: 'country', in: ['DE', 'AT'] }], variants: [{ key: 'control', value: 'small' }, { key: 'big', value: 'big' }] },
    { key: 'discount', unit: 'userId', variants: [{ key: 'none', value: 0 }, { key: 'ten', value: 10 }, { key: 'twenty', value: 20 }] },
    { key: 'layout', unit: 'userId', variants: [{ key: 'a', value: { columns: 2, cards: ['x'] } }, { key: 'b', value: { columns: 3, cards: [] } }] },
    { key: 'plain', unit: 'userId', variants: [{ key: 'control' }, { key: 'treatment' }] },
    { key: 'old', unit: 'userId', status: 'stopped', variants: [{ key: 'a', value: true }] },
  ],
}

export const assigner: Assigner = (() => {
  const r = decodeConfig(CONFIG)
  if (E.isLeft(r)) throw new Error('fixture')
  return r.right
})()

/** What touchpoint's core assigns, for comparison. */
export const expected = (key: string, unit: Unit) => assignTo(key, unit)(assigner)
