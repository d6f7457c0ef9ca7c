/**
 * A decision's exposure queue: `expose` queues an enrolled experiment once per request (forced variants are QA
 * traffic, never counted), `flush` sends what is queued to the sink and reports its failure. Shared by
 * `touchpoint`'s `sink` option and the `exposures` feature. `expose`: `'manual'`, or anything else for auto.
 */
import { toExposure, type Exposure } from '../../assignment/exposure'
import type { Assigner, Assignment, Enrolled } from '../../assignment/model'
import type { TouchpointError } from '../../core/errors'
import { messageOf, problem } from './problems'

export const exposureQueue = (
  sink: (exposures: ReadonlyArray<Exposure>) => unknown,
  assigner: Assigner,
  assignments: ReadonlyArray<Assignment>,
  force: ReadonlyMap<string, Enrolled> | undefined,
  variant: (experiment: string, fallback?: string) => string,
  report: (error: TouchpointError, where: 'sink') => void,
  expose: unknown,
) => {
  // The time the adapter decided the request: each exposure's timestamp.
  const seenAt = Date.now()
  const queued: Array<Exposure> = []
  let sent = 0
  const queue = (experiment: string, fallback?: string) => {
    const a = assignments.find((x) => x.experiment === experiment)
    // Once per request and experiment; forced variants are QA traffic, never counted as exposures.
    if (a?._tag === 'Enrolled' && !force?.has(experiment) && !queued.some((x) => x.experiment === experiment)) queued.push(toExposure(assigner, seenAt)(a))
    return variant(experiment, fallback)
  }
  const flush = async () => {
    const batch = queued.slice(sent)
    sent = queued.length
    if (batch.length === 0) return
    try {
      await sink(batch)
    } catch (e) {
      report(problem('a sink that takes the batch', messageOf(e)), 'sink')
    }
  }
  if (expose !== 'manual') for (const a of assignments) queue(a.experiment)
  return { expose: queue, flush }
}
