/**
 * The scenario app every runtime runs (bundled per runtime by `_bundle.ts`): the real adapter with the golden
 * config inline. `GET /` answers what the adapter decided and what the handler received; `GET /__sink`
 * answers (and clears) the batches the exposure sink got.
 */
import golden from '../golden/runtime-assignments.json'
import { readAssignments, UNIT_HEADER, type Exposure, type Handler, type Options } from '../../src/edge'
import { inlineCompiled } from '../_compiled'

const batches: Array<ReadonlyArray<Exposure>> = []

export const appOptions = <Env>(): Options<Env> => ({
  config: inlineCompiled(golden.config),
  expose: 'manual',
  consent: (request) => request.headers.get('x-consent') !== 'no',
  cookie: { name: 'tp_uid', domain: 'example.test', maxAge: 3600, sameSite: 'Lax' },
  sink: (exposures) => {
    batches.push(exposures)
  },
})

export const appHandler =
  <Env>(runtime: string): Handler<Env> =>
  (request, decision) => {
    if (new URL(request.url).pathname === '/__sink') return Response.json(batches.splice(0))
    // The page shows the hero twice (two components): the sink must still get its exposure once.
    decision.expose('checkout-button')
    decision.expose('hero')
    decision.expose('hero')
    return Response.json({
      runtime,
      unitId: decision.unitId,
      fresh: decision.fresh,
      variants: decision.variants,
      forwardedUnit: request.headers.get(UNIT_HEADER),
      forwardedAssignments: readAssignments(request.headers),
    })
  }
