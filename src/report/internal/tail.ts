/**
 * The tail of a long touchpoint list, for charts: past `limit` rows the chart shows the first `limit − 1` and one
 * row "other (N touchpoints)" adding up the rest (credits, roles, cost). Sums only: the tail's credit has no
 * interval (the replicates are not kept per row), and nothing is averaged that does not add.
 *
 * @module
 * @internal
 */
import type { ModelName } from '../../attribution/model'
import type { ModelCredit, Roles, Touchpoint } from '../model'

/** @internal What the charts read of a touchpoint. */
export type ChartRow = Pick<Touchpoint, 'channel' | 'credits' | 'roles' | 'roleShares' | 'cost'>

/** @internal Rows beyond which a chart groups the rest (readable at 12 touchpoints and at 5,000). */
export const CHART_ROWS = 25

const ROLE_KEYS: ReadonlyArray<keyof Roles> = ['introducer', 'assister', 'closer', 'solo']

/** @internal `rows` (already in the chart's order) with everything past `limit − 1` summed into one row. */
export const chartTail = (rows: ReadonlyArray<ChartRow>, models: ReadonlyArray<ModelName>, limit = CHART_ROWS): ReadonlyArray<ChartRow> => {
  if (rows.length <= limit) return rows
  const head = rows.slice(0, limit - 1)
  const rest = rows.slice(limit - 1)
  const sum = (f: (t: ChartRow) => number) => rest.reduce((s, t) => s + f(t), 0)
  const credits: Partial<Record<ModelName, ModelCredit>> = {}
  for (const m of models) {
    if (!rest.some((t) => t.credits[m] !== undefined)) continue
    credits[m] = { conversions: sum((t) => t.credits[m]?.conversions ?? 0), value: sum((t) => t.credits[m]?.value ?? 0), share: sum((t) => t.credits[m]?.share ?? 0) }
  }
  const roles = Object.fromEntries(ROLE_KEYS.map((k) => [k, sum((t) => t.roles[k])])) as unknown as Roles
  const touches = ROLE_KEYS.reduce((s, k) => s + roles[k], 0)
  const roleShares = Object.fromEntries(ROLE_KEYS.map((k) => [k, touches > 0 ? roles[k] / touches : 0])) as unknown as Roles
  const paid = rest.some((t) => t.cost !== undefined)
  return [
    ...head,
    {
      channel: `other (${rest.length} touchpoints)`,
      credits,
      roles,
      roleShares,
      ...(paid ? { cost: { cost: sum((t) => t.cost?.cost ?? 0), costPerConversion: {}, returnOnSpend: {} } } : {}),
    },
  ]
}
