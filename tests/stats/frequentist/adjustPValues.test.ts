import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-frequentist.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { adjustPValues, type Correction } from '../../../src/stats/frequentist/adjustPValues'

describe('adjustPValues against statsmodels multipletests', () => {
  it('bonferroni, holm and fdr_bh', () => {
    for (const c of golden.adjustPValues) {
      const r = right(adjustPValues(c.method as Correction)(c.pValues))
      r.forEach((p, i) => expectClose(`adjustPValues.${c.method}`, p, c.expected[i]!, { rel: 1e-12, abs: 1e-300 }, JSON.stringify(c.pValues)))
    }
  })
})

const arbPs = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 })

describe('adjustPValues properties', () => {
  test.prop([arbPs, fc.constantFrom<Correction>('bonferroni', 'holm', 'benjamini-hochberg')])('adjusted ≥ raw, ≤ 1, order preserved', (ps, method) => {
    const adj = right(adjustPValues(method)(ps))
    ps.forEach((p, i) => {
      expect(adj[i]!).toBeGreaterThanOrEqual(p)
      expect(adj[i]!).toBeLessThanOrEqual(1)
      ps.forEach((q, j) => {
        if (p < q) expect(adj[i]!).toBeLessThanOrEqual(adj[j]!)
      })
    })
  })

  test.prop([arbPs])('bonferroni ≥ holm ≥ benjamini-hochberg', (ps) => {
    const b = right(adjustPValues('bonferroni')(ps))
    const h = right(adjustPValues('holm')(ps))
    const bh = right(adjustPValues('benjamini-hochberg')(ps))
    ps.forEach((_, i) => {
      expect(b[i]!).toBeGreaterThanOrEqual(h[i]!)
      expect(h[i]!).toBeGreaterThanOrEqual(bh[i]!)
    })
  })

  it('rejects p-values outside [0, 1]', () => {
    expect(leftTag(adjustPValues('holm')([0.1, Number.NaN]))).toBe('InvalidInput')
    expect(leftTag(adjustPValues('holm')([1.2]))).toBe('InvalidInput')
    expect(leftTag(adjustPValues('nope' as Correction)([0.2]))).toBe('InvalidInput')
  })
})
