/**
 * Assignment in a service: decode the config once at start-up, then assign on every request.
 * Run: npm run build && npx tsx examples/assignment.ts
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { assign, assignTo, decodeConfigJson, formatError, isEnrolled, toExposure, variantOr } from 'touchpoint/assignment'

const decoded = decodeConfigJson(readFileSync(new URL('./experiments.json', import.meta.url), 'utf8'))
if (E.isLeft(decoded)) {
  // Every problem, each with its path: "experiments[1].variants[0].weight: expected a number in [0, 1], got 1.5"
  console.error(formatError(decoded.left))
  process.exit(1)
}
const assigner = decoded.right

// On each request: a pure, total function. Same unit, same variant, in every runtime.
const visitor = { userId: 'u-4e114f', deviceId: 'd-00114e04', country: 'DE', orders: 2 }

const button = pipe(assigner, assignTo('checkout-button', visitor), variantOr('control'))
console.log(`checkout-button -> ${button}`)

for (const a of pipe(assigner, assign(visitor))) {
  if (isEnrolled(a)) console.log('exposure', JSON.stringify(toExposure(assigner)(a)))
  else console.log(`${a.experiment}: not enrolled (${a.reason})`)
}
