/**
 * One guard for a record of column names by role, shared by the engine experiment planner, the engine input
 * planner and the experiments' row layouts: the same record gets the same issues everywhere (the planner said
 * "a column name" where the others said "a column name (non-empty text)", and each wrote the loop again).
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { columnNamesIssues } from '../../src/core/guards'
import { planExperimentQuery } from '../../src/engines/experiments'
import { inputPlanIssues } from '../../src/engines/plan'
import { exposureLayout } from '../../src/experiments/rows'

describe('columnNamesIssues', () => {
  it('names every role that is no column name, required and optional, under the path', () => {
    expect(columnNamesIssues({ unit: '', time: 3, dimension: null }, 'options.cols', ['unit', 'time', 'event'], ['dimension'])).toEqual([
      { path: 'options.cols.unit', expected: 'a column name (non-empty text)', actual: '' },
      { path: 'options.cols.time', expected: 'a column name (non-empty text)', actual: 3 },
      { path: 'options.cols.event', expected: 'a column name (non-empty text)', actual: undefined },
      { path: 'options.cols.dimension', expected: 'a column name (non-empty text) or nothing', actual: null },
    ])
    expect(columnNamesIssues({ unit: 'u', time: 't', event: 'e' }, 'c', ['unit', 'time', 'event'], ['dimension'])).toEqual([])
    expect(columnNamesIssues(['u'], 'c', ['unit'])).toEqual([{ path: 'c', expected: 'column names by role: { unit }', actual: ['u'] }])
    expect(columnNamesIssues(null, 'c', ['unit'], ['time'])).toEqual([{ path: 'c', expected: 'column names by role: { unit, time? }', actual: null }])
  })

  test.prop([fc.anything()])('any value: a list of issues, never a throw', (u) => {
    expect(Array.isArray(columnNamesIssues(u, 'c', ['a'], ['b']))).toBe(true)
  })
})

describe('the three boundaries say the same of the same record', () => {
  const bad = { unit: '', experiment: 'experiment', variant: 7, time: 'timestamp', event: 'event' }
  const want = (path: string) => columnNamesIssues(bad, path, ['unit', 'experiment', 'variant'], [])

  it('engine experiments (exposureColumns), engine input plan (pathColumns), experiments rows (columns)', async () => {
    const r = await planExperimentQuery({} as never, {} as never, { metrics: { valueColumns: [] }, exposureColumns: bad, eventColumns: { unit: 'u', time: 't', event: 'e' } } as never)
    const issues = E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.filter((i) => i.path.startsWith('options.exposureColumns')) : []
    expect(issues).toEqual(want('options.exposureColumns'))
    const plan = inputPlanIssues({ pathColumns: { path: '', conversions: 'c', value: 'v', nulls: 'n' }, eventColumns: { user: 'u', time: 't', channel: 'c', conversion: 'x', value: 'v' }, separator: '>' })
    expect(plan).toEqual(columnNamesIssues({ path: '' }, 'options.pathColumns', ['path'], []))
    const layout = exposureLayout(['unit_id'], { ...bad } as never)
    expect('issue' in layout ? layout.issue : layout).toEqual(columnNamesIssues(bad, 'columns', ['unit', 'experiment', 'variant', 'time'], ['dimension'])[0])
  })
})
