/**
 * The names code samples may use without defining them: a JSDoc `@example` or a ```ts block in the docs can say
 * `pipe(assigner, assignTo('checkout-button', unit))` and mean the values below (scripts/docs/snippets.ts
 * imports each name a sample uses from here). They are built from the repository's own example files, so a
 * reader can open what a sample ran on. Samples run from the repository root (paths such as
 * `examples/paths.csv` resolve there); servers are never started and nothing goes to the network: `fetch`,
 * `createServer`, `Deno`, `Bun` and the KV and Edge Config clients below are stand-ins with the shape the samples
 * use.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import express from 'express'
import Fastify from 'fastify'
import * as E from 'fp-ts/Either'
import { inlineConfig, type TextStore } from '../../src/adapters/web'
import { decodeConfig } from '../../src/assignment/decode'
import type { Exposure } from '../../src/assignment/exposure'
import { fromOptimizelyFlags } from '../../src/assignment/compat/optimizely'
import { attribute } from '../../src/attribution/attribute'
import { reduceJourneys } from '../../src/attribution/accumulate'
import { eventLayout, pathLayout } from '../../src/attribution/decode'
import { DEFAULT_SETTINGS, type Journey } from '../../src/attribution/model'
import { formatError } from '../../src/core/errors'
import { reduceTouchpoints, reportSettings } from '../../src/report/accumulate'
import { buildReport } from '../../src/report/build'
import { parseCosts } from '../../src/report/costs'
import { reduceCsvText } from '../../src/report/text'

const right = <A>(e: E.Either<{ readonly _tag: string }, A>, what: string): A => {
  if (E.isLeft(e)) throw new Error(`tests/docs/context.ts: ${what}: ${formatError(e.left as Parameters<typeof formatError>[0])}`)
  return e.right
}
const file = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

// ---------------------------------------------------------------------------------------------------------------
// Assignment: examples/experiments.json (checkout-button, express-checkout, welcome-email-subject)

/** The text of examples/experiments.json. */
export const configText: string = file('examples/experiments.json')
/** examples/experiments.json, decoded. */
export const assigner = right(decodeConfig(JSON.parse(configText)), 'examples/experiments.json')
/** The second row of examples/units.csv. */
export const unit = { userId: 'u-25165e', deviceId: 'd-1818e811', country: 'DE', orders: 5 }

const withCheckoutWeights = (control: number, green: number) => {
  const json = JSON.parse(configText) as { experiments: Array<{ key: string; variants: Array<{ key: string; weight: number }> }> }
  const checkout = json.experiments.find((e) => e.key === 'checkout-button')!
  checkout.variants = [{ key: 'control', weight: control }, { key: 'green', weight: green }]
  return json
}
/** `assigner` before a change of checkout-button's split... */
export const oldAssigner = assigner
/** ...and after it: 50/50 became 30/70. */
export const newAssigner = right(decodeConfig(withCheckoutWeights(0.3, 0.7)), 'the 30/70 config')
/** checkout-button ramped down to 90/10 (a sticky assignment keeps what a unit had). */
export const rampedAssigner = right(decodeConfig(withCheckoutWeights(0.9, 0.1)), 'the 90/10 config')

// ---------------------------------------------------------------------------------------------------------------
// Edge and server adapters: examples/edge-experiments.json (hero, free-shipping-banner)

/** examples/edge-experiments.compiled.json: what `touchpoint compile` wrote, as an object. */
export const experiments: unknown = JSON.parse(file('examples/edge-experiments.compiled.json'))
const compiledText = JSON.stringify(experiments)
/** A config source holding `experiments`. */
export const config = inlineConfig(experiments)
/** The compiled config, as a raw (uncompiled) config: examples/edge-experiments.json. */
export const rawConfig: unknown = JSON.parse(file('examples/edge-experiments.json'))

/** The text of examples/flags.json: experiments whose variants carry values (the OpenFeature samples' flags). */
export const flagsText: string = file('examples/flags.json')
/** examples/openfeature-browser/flags.compiled.json (flags.json compiled), as an object. */
export const compiledFlags: Readonly<Record<string, unknown>> = JSON.parse(file('examples/openfeature-browser/flags.compiled.json'))
/** A browser's device id (the web provider's targeting key). */
export const deviceId = 'd-1818e811'

/** What the sinks and logs of the samples received. */
export const exposuresSeen: Array<ReadonlyArray<Exposure>> = []
export const sink = (exposures: ReadonlyArray<Exposure>): void => void exposuresSeen.push(exposures)
export const log = sink
export const COLLECTOR = 'https://collector.example.com/exposures'

/** A request whose origin got assignments from an edge worker. */
export const request = new Request('https://shop.example.com/', { headers: { 'x-touchpoint-assignments': 'hero=big&cta+button=green' } })

/** Cloudflare's KV namespace type, as far as touchpoint reads it. */
export type KVNamespace = TextStore
/** A Worker's `env`: a KV namespace bound as CONFIG holding the compiled config under "experiments". */
export const env = { CONFIG: { get: async (key: string): Promise<string> => (key === 'experiments' ? compiledText : '') } }

/** `fetch` answering https://cdn.example.com/experiments.json with the compiled config, 404 for anything else. */
export const fetch = async (input: string | URL | Request, _init?: RequestInit): Promise<Response> => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  return url === 'https://cdn.example.com/experiments.json' ? new Response(compiledText) : new Response('not found', { status: 404 })
}

/** An Edge Config client (`@vercel/edge-config`'s `createClient`) holding the compiled config under "experiments". */
export const createClient = (_connection?: string) => ({ get: async (key: string): Promise<unknown> => (key === 'experiments' ? experiments : undefined) })
export const client = createClient()

/** Deno's `serve` and `openKv`, as the samples call them; `serve` keeps the handler and listens nowhere. */
export const Deno = {
  served: [] as Array<(request: Request) => Response | Promise<Response>>,
  serve(handler: (request: Request) => Response | Promise<Response>): void {
    Deno.served.push(handler)
  },
  openKv: async () => ({
    get: async (_key: ReadonlyArray<unknown>) => ({ value: compiledText as unknown, versionstamp: '00000000000000010000' as string | null }),
  }),
}

/** Bun's `serve` and `file`; `file` serves the example configs whatever the directory. */
export const Bun = {
  served: [] as Array<{ readonly port?: number; readonly fetch: (request: Request) => Response | Promise<Response> }>,
  serve(options: { readonly port?: number; readonly fetch: (request: Request) => Response | Promise<Response> }): void {
    Bun.served.push(options)
  },
  file: (path: string) => ({
    text: async (): Promise<string> => (path.endsWith('.compiled.json') ? compiledText : file('examples/edge-experiments.json')),
  }),
}

/** node:http's `createServer`, keeping the listener; `listen` binds no port. */
export const createServer = (listener: (req: IncomingMessage, res: ServerResponse) => void) => ({
  listener,
  listen: (_port: number) => undefined,
})

/** An Express application and a Fastify instance, never listening. */
export const app = express()
export const fastify = Fastify()

// ---------------------------------------------------------------------------------------------------------------
// Optimizely: tests/docs/fixtures/optimizely-datafile.json (checkout_test, flag new_checkout, holdout_q4)

export const datafile: unknown = JSON.parse(file('tests/docs/fixtures/optimizely-datafile.json'))
export const flags = right(fromOptimizelyFlags(datafile), 'the Optimizely datafile')

// ---------------------------------------------------------------------------------------------------------------
// Attribution: a few journeys, and examples/paths.csv

const DAY = 86_400_000
/** Five journeys (times in ms since the first touch): two convert. */
export const journeys: ReadonlyArray<Journey> = [
  { channels: ['search', 'email'], times: [0, 2 * DAY], conversions: 1, value: 80, nulls: 0, conversionTime: 2 * DAY },
  { channels: ['search', 'display', 'email'], times: [0, DAY, 3 * DAY], conversions: 1, value: 40, nulls: 0, conversionTime: 3 * DAY },
  { channels: ['display'], times: [0], conversions: 0, value: 0, nulls: 1 },
  { channels: ['search'], times: [0], conversions: 1, value: 20, nulls: 0, conversionTime: DAY },
  { channels: ['email', 'search'], times: [0, DAY], conversions: 0, value: 0, nulls: 1 },
]
/** `journeys` reduced with the default settings. */
export const partial = right(reduceJourneys(DEFAULT_SETTINGS)(journeys), 'the journeys')
/** The first three journeys, and the last two: two shards whose merge is `partial`. */
export const shardA = right(reduceJourneys(DEFAULT_SETTINGS)(journeys.slice(0, 3)), 'shard A')
export const shardB = right(reduceJourneys(DEFAULT_SETTINGS)(journeys.slice(3)), 'shard B')
export const otherShard = shardB
/** `partial` attributed with first, last, linear and markov. */
export const result = right(attribute({ models: ['first', 'last', 'linear', 'markov'] })(partial), 'the attribution')
/** The text of examples/paths.csv. */
export const text: string = file('examples/paths.csv')
/** The column layout of a path file with all four columns. */
export const layout = right(pathLayout()(['path', 'total_conversions', 'total_conversion_value', 'total_null']), 'the path layout')

// ---------------------------------------------------------------------------------------------------------------
// The touchpoint report: examples/events.csv and examples/costs.csv

/** The report partial of examples/events.csv (its `attribution` is the attribution partial). */
export const partials = right(reduceCsvText(reportSettings(DEFAULT_SETTINGS))(file('examples/events.csv')), 'examples/events.csv')
/** examples/costs.csv. */
export const costs = right(parseCosts(file('examples/costs.csv')), 'examples/costs.csv')
/** The report of examples/events.csv with costs, models first, last, linear and markov. */
export const report = right(buildReport({ models: ['first', 'last', 'linear', 'markov'], costs })(partials), 'the report')
/** The report partials of two shards of `journeys`. */
export const reportA = right(reduceTouchpoints(reportSettings(DEFAULT_SETTINGS, { replicates: 0 }))(journeys.slice(0, 3)), 'report shard A')
export const reportB = right(reduceTouchpoints(reportSettings(DEFAULT_SETTINGS, { replicates: 0 }))(journeys.slice(3)), 'report shard B')
/** The column layout of an event file with the default columns. */
export const eventFileLayout = right(
  eventLayout()(['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value']),
  'the event layout',
)
