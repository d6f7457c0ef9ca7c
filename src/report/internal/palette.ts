/**
 * Every colour of the HTML report, one meaning each: a colour stands for one stage, one outcome, one model, one
 * role or one share, wherever it appears on the page (the flow is coloured by stage, so channels need none).
 * Stages and outcomes take the Okabe–Ito colour-blind-safe set; models Paul Tol's muted set.
 *
 * @module
 * @internal
 */
import { CONVERSION_STATE, NULL_STATE, type ModelName } from '../../attribution/model'

/** @internal Stages (and `(unmapped)`). */
export const STAGE_COLORS: Readonly<Record<string, string>> = {
  awareness: '#0072b2',
  consideration: '#56b4e9',
  decision: '#e69f00',
  purchase: '#d55e00',
  loyalty: '#cc79a7',
  '(unmapped)': '#8d8d8d',
}

/** @internal Outcomes: converted, and did not (the flow's outcome column, the path-length and time charts). */
export const OUTCOME_COLORS: Readonly<Record<string, string>> = {
  [CONVERSION_STATE]: '#009e73',
  [NULL_STATE]: '#c4c4c4',
}

/** @internal The flow's node for the touchpoints past the busiest ones of a step. */
export const OTHER_COLOR = '#5f5f5f'

/** @internal Attribution models, by name (the same model has the same colour in every report). */
export const MODEL_COLORS: Readonly<Record<ModelName, string>> = {
  first: '#332288',
  last: '#88ccee',
  last_non_direct: '#44aa99',
  linear: '#117733',
  position: '#999933',
  time_decay: '#ddcc77',
  participation: '#aa4499',
  markov: '#882255',
  shapley: '#cc6677',
  shapley_rate: '#6699cc',
}

/** @internal Roles along a journey: dark (first) to light (last); solo apart. */
export const ROLE_COLORS = { introducer: '#2b4c7e', assister: '#5b8fb9', closer: '#a9cce8', solo: '#e3c16f' } as const

/** @internal Share of cost (the credit share beside it takes the reference model's colour). */
export const COST_COLOR = '#2f2f2f'

/** @internal Every colour with its meaning, for the test that no colour means two things. */
export const ALL_COLORS: ReadonlyArray<readonly [meaning: string, color: string]> = [
  ...Object.entries(STAGE_COLORS).map(([k, c]) => [`stage ${k}`, c] as const),
  ...Object.entries(OUTCOME_COLORS).map(([k, c]) => [`outcome ${k}`, c] as const),
  ['other touchpoints', OTHER_COLOR],
  ...Object.entries(MODEL_COLORS).map(([k, c]) => [`model ${k}`, c] as const),
  ...Object.entries(ROLE_COLORS).map(([k, c]) => [`role ${k}`, c] as const),
  ['share of cost', COST_COLOR],
]

/** Relative luminance (WCAG 2) of a #rrggbb colour. */
const luminance = (hex: string): number => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
const DARK = '#1f2328'
/** @internal Dark text or white on a fill, whichever contrasts more (WCAG ratio): dark from a luminance of about 0.21. */
export const textOn = (hex: string): string => {
  const l = luminance(hex)
  return (l + 0.05) / (luminance(DARK) + 0.05) > 1.05 / (l + 0.05) ? DARK : '#ffffff'
}
