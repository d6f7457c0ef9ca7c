import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { ROLE_COLORS, textOn } from '../../src/report/internal/palette'

/** WCAG 2 contrast ratio of two #rrggbb colours, written out here from the definition. */
const channel = (hex: string, i: number) => {
  const v = parseInt(hex.slice(i, i + 2), 16) / 255
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
}
const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5)
const contrast = (a: string, b: string) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05)

describe('textOn', () => {
  test.prop([fc.integer({ min: 0, max: 0xffffff })])('picks the ink (dark or white) that contrasts more with the fill', (n) => {
    const fill = `#${n.toString(16).padStart(6, '0')}`
    const ink = textOn(fill)
    const other = ink === '#ffffff' ? '#1f2328' : '#ffffff'
    expect(contrast(ink, fill)).toBeGreaterThanOrEqual(contrast(other, fill))
  })

  it('text on the role bars reaches WCAG AA (4.5:1)', () => {
    for (const fill of Object.values(ROLE_COLORS)) expect(contrast(textOn(fill), fill), fill).toBeGreaterThanOrEqual(4.5)
  })
})
