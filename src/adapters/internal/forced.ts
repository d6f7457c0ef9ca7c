/** Variants forced by a query parameter (`?tp_force=hero:big`), shared by `touchpoint`'s `forceParam` and the `forceParam` feature. */
import { enrolled } from '../../assignment/assign'
import type { Assigner, Enrolled } from '../../assignment/model'
import type { RequestLike } from '../webHeaders'

/** Variants forced by the query string, only those the config has. */
export const forced = (assigner: Assigner, request: RequestLike, param: string, unitId: string, unit: string): Map<string, Enrolled> => {
  const out = new Map<string, Enrolled>()
  let value: string | null = null
  try {
    value = new URL(request.url).searchParams.get(param)
  } catch {
    // A relative or malformed URL forces nothing.
  }
  for (const pair of value?.split(',') ?? []) {
    const [key = '', variant = ''] = pair.split(':')
    const experiment = assigner.byKey.get(key)
    const variantIndex = experiment?.variants.indexOf(variant) ?? -1
    if (experiment !== undefined && variantIndex >= 0) out.set(key, enrolled(experiment, variantIndex, -1, experiment.unit === unit ? unitId : '', true, false))
  }
  return out
}
