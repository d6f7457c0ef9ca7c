import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { experimentText, satisfactionText } from '../../src/report/internal/evidenceText'
import { numbers } from '../../src/report/internal/format'

const f = numbers({})
const pValue = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1e-300, 0.000999, 0.001, 0.0124, 1))
/** A p-value as the report writes it: "p < 0.001" or "p = 0.012", as touchpoint/stats writes its own. */
const P_TEXT = /\(?p (< 0\.001|= [01]\.\d{3})\)?$/

describe('evidence text', () => {
  it('writes a p-value as "p < 0.001" or "p = 0.xxx", never "p = < 0.001"', () => {
    fc.assert(
      fc.property(pValue, fc.constantFrom('nps' as const, 'csat' as const), (p, measure) => {
        const survey = satisfactionText({ measure, score: 0.5, lower: 0.4, upper: 0.6, responses: 120, versusOthers: { difference: -0.1, lower: -0.2, upper: 0, pValue: p, responses: 300 } } as never, f)
        const experiment = experimentText({ touchpoint: 'email', name: 'email holdout', kind: 'binomial', type: 'relative', level: 0.95, holdout: { name: 'holdout', units: 100, mean: 0.1 }, exposed: { name: 'exposed', units: 100, mean: 0.12 }, lift: { value: 0.2, lower: 0.05, upper: 0.35 }, pValue: p }, f)
        for (const text of [survey, experiment]) {
          expect(text).not.toContain('= <')
          expect(text).toMatch(P_TEXT)
          expect(text.endsWith(p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`) || text.endsWith(`p = ${p.toFixed(3)})`) || text.endsWith('p < 0.001)')).toBe(true)
        }
      }),
    )
  })
})
