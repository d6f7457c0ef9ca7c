/**
 * How to call each export with values that get past its first guard: valid arguments with one thing broken
 * (`plausible`), and for curried exports the arguments of the function they return (`then`), for exports that
 * return an object the arguments of its methods (`methods`).
 *
 * Trusted values (an `Assigner`, an `AttributionPartial`, a `Report`, an `Analysis`) come from the library's own
 * decoders and builders; in their place the suite passes the real thing, junk, or the raw input a caller might
 * pass by mistake (the config instead of the assigner), never a hand-edited copy of the real thing.
 *
 * The methods of the reducers (`Accumulator`, `ReportAccumulator`, `JourneyBuilder`) are documented as taking
 * trusted input (decoded rows, journeys checked by `checkJourney`): they run once per row in the hot loop and
 * have no error channel. They are called with valid values only; the checked entry points over the same work
 * (`reduceJourneys`, `reduceTouchpoints`, the decoders) get the broken ones.
 */
import fc from 'fast-check'
import { join } from 'node:path'
import {
  arbArm,
  arbBinomialArm,
  arbConfig,
  arbCostsCsv,
  arbCupedArm,
  arbEventsCsv,
  arbExperimentData,
  arbHugeBinomial,
  arbJourney,
  arbJourneys,
  arbModels,
  arbPathsCsv,
  arbPowerDesign,
  arbSettingsInput,
  arbTwoArms,
  arbTwoBinomial,
  arbTwoContinuous,
  arbUnit,
  arbUnitId,
  arbUntimedModels,
  CHANNELS,
  GROWTHBOOK_EXPERIMENTS,
  LAYERED_CONFIG,
  OPTIMIZELY_DATAFILE,
  UNLEASH_FEATURES,
  type Fixtures,
  type Lib,
} from './fixtures'
import { args, corrupt, junk, oneOf, optional, plausible, trusted } from './values'
import { logSpecs, type FakeServers } from './logs'
import { warehouseSpecs } from './warehouse'

/** One call of an export, then of what it returns. */
export interface Spec {
  /** Arguments of the export itself. */
  readonly args: fc.Arbitrary<ReadonlyArray<unknown>>
  /** Arguments of the function it returns, and of the function that returns, and so on. */
  readonly then?: ReadonlyArray<fc.Arbitrary<ReadonlyArray<unknown>>>
  /** When it returns an object: methods called on it, in this order. */
  readonly methods?: Readonly<Record<string, fc.Arbitrary<ReadonlyArray<unknown>>>>
}


const TOKENS = ['', ',', '"', '\n', '\r\n', '>', ' > ', 'NaN', '-1', '1e400', '0x10', '١', '\u0000', '\ufeff', '""', '>>', 'Infinity', '  ', '😀', '\ud800']

/** Text with one token spliced in, one character dropped, or the text cut short. */
const corruptText = (valid: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 2, arbitrary: valid },
    {
      weight: 5,
      arbitrary: fc.tuple(valid, fc.nat(), fc.constantFrom(...TOKENS), fc.constantFrom('insert', 'replace', 'cut', 'drop')).map(([text, at, token, how]) => {
        const i = text.length === 0 ? 0 : at % text.length
        if (how === 'insert') return text.slice(0, i) + token + text.slice(i)
        if (how === 'replace') return text.slice(0, i) + token + text.slice(i + 1)
        if (how === 'cut') return text.slice(0, i)
        return text.slice(0, i) + text.slice(i + 1)
      }),
    },
    { weight: 1, arbitrary: junk },
  )

const stringify = (v: unknown): string => {
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return '{'
  }
}

const arbLine = plausible(fc.integer({ min: 1, max: 1_000_000 }))
const arbSeparator = plausible(fc.constantFrom('>', ' > ', '|', '->'))
const arbChannel = plausible(fc.oneof(fc.constantFrom(...CHANNELS, 'Paid Search', 'TV spot', 'e-mail'), fc.string({ maxLength: 12 })))
const arbNumberish = plausible(fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e9 }), fc.integer({ min: 0, max: 400 })))
const interner = () => {
  const names = new Map<string, number>()
  return (name: string) => {
    let i = names.get(name)
    if (i === undefined) names.set(name, (i = names.size))
    return i
  }
}
const arbIntern = fc.oneof({ weight: 5, arbitrary: fc.constant(null).map(interner) }, { weight: 1, arbitrary: junk })

const ISSUE = { path: 'experiments[0].variants[1].weight', expected: 'a number in [0, 1]', actual: -0.2, line: 3, file: 'config.json' }
const ERRORS = [
  { _tag: 'InvalidInput', issues: [ISSUE, { path: '', expected: 'x', actual: undefined }] },
  { _tag: 'InsufficientData', reason: 'no conversions' },
  { _tag: 'NumericalFailure', reason: 'did not converge' },
]

// ---------------------------------------------------------------------------------------------------------------
// Adapters: requests, options, events

const HEADERS: ReadonlyArray<Readonly<Record<string, string>>> = [
  {},
  { cookie: 'tp_uid=u-42; other=1' },
  { cookie: 'tp_uid=; tp_uid=x;y', 'x-touchpoint-unit': 'forged', 'x-touchpoint-assignments': 'hero=big&__proto__=x' },
  { cookie: 'tp_uid=' + 'a'.repeat(65), 'x-device-id': 'dev-1' },
  { 'x-touchpoint-assignments': '%E0%A4%A', 'user-agent': 'Mozilla/5.0' },
]
const URLS = ['https://example.com/', 'https://example.com/p?tp_force=button:green,hero:big', 'https://example.com/?tp_force=%zz', 'http://[::1]:8080/x']

const arbRequest: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(oneOf(URLS), oneOf(HEADERS), fc.constantFrom('GET', 'POST')).map(([url, headers, method]) => new Request(url, { headers, method, ...(method === 'POST' ? { body: 'x' } : {}) })) },
  { weight: 1, arbitrary: fc.constant({ url: 'relative/path', headers: new Headers() }) },
  { weight: 1, arbitrary: junk },
)

const arbCookieOptions = fc.record(
  {
    name: fc.constantFrom('tp_uid', 'sid', 'a b', 'x;y'),
    domain: fc.constantFrom('example.com', '.example.com', 'a;b'),
    path: fc.constantFrom('/', '/app'),
    maxAge: fc.constantFrom(0, 3600, 34_560_000),
    secure: fc.boolean(),
    httpOnly: fc.boolean(),
    sameSite: fc.constantFrom('Strict', 'Lax', 'None'),
  },
  { requiredKeys: [] },
)

const arbHandler = fc.oneof(
  { weight: 5, arbitrary: fc.constant((request: Request) => new Response(`ok ${request.url}`, { headers: { 'content-type': 'text/plain' } })) },
  { weight: 1, arbitrary: fc.constant(async () => new Response(null, { status: 204 })) },
  { weight: 1, arbitrary: fc.constant(() => Response.redirect('https://example.com/next', 302)) },
)

const arbNodeReq = fc.tuple(oneOf(HEADERS), fc.constantFrom('GET', 'POST'), fc.constantFrom('/', '/a?tp_force=button:green', undefined)).map(([headers, method, url]) => {
  // A message as http.Server hands it over, without a socket to read from.
  const { IncomingMessage } = process.getBuiltinModule('node:http')
  const { Socket } = process.getBuiltinModule('node:net')
  const req = new IncomingMessage(new Socket())
  req.method = method
  if (url !== undefined) req.url = url
  req.headers = { host: 'example.com', ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) }
  if (method === 'POST') {
    req.push('body')
    req.push(null)
  }
  return req
})

const arbNodeRes = fc.constant(null).map(() => {
  const { IncomingMessage, ServerResponse } = process.getBuiltinModule('node:http')
  const { Socket } = process.getBuiltinModule('node:net')
  return new ServerResponse(new IncomingMessage(new Socket()))
})

const cloudFrontHeaders = fc.constantFrom<Record<string, unknown>>(
  { host: [{ key: 'Host', value: 'example.com' }] },
  { host: [{ key: 'Host', value: 'example.com' }], cookie: [{ key: 'Cookie', value: 'tp_uid=u-42' }] },
  { host: [{ value: 'example.com' }], 'user-agent': [{ key: 'User-Agent', value: '東京 😀' }], cookie: [{ key: 'Cookie', value: 'emoji=😀; tp_uid=u-1' }] },
  { 'x-touchpoint-set-cookie': [{ value: 'tp_uid=x' }] },
)

const arbCloudFrontRequest = fc.record({
  uri: fc.constantFrom('/', '/a/b', 'no-slash'),
  querystring: fc.constantFrom('', 'tp_force=button:green', 'a=%zz'),
  method: fc.constantFrom('GET', 'POST', 'HEAD'),
  clientIp: fc.constant('203.0.113.1'),
  headers: cloudFrontHeaders,
  body: fc.option(fc.record({ data: fc.constantFrom('', 'aGVsbG8=', 'not base64!'), encoding: fc.constantFrom('base64', 'text') }), { nil: undefined }),
})

const arbCloudFrontEvent = fc
  .tuple(arbCloudFrontRequest, fc.option(fc.record({ status: fc.constantFrom('200', '404'), headers: cloudFrontHeaders }), { nil: undefined }))
  .map(([request, response]) => ({ Records: [{ cf: response === undefined ? { request } : { request, response } }] }))

// ---------------------------------------------------------------------------------------------------------------

/**
 * The specs, by export name; the same name means the same function in every entry, except where `own` (the module
 * of the entry being called) says otherwise (touchpoint/experiments' eventLayout: logs.ts).
 */
export const specsFor = (lib: Lib, fx: Fixtures, own: Lib | undefined, servers: FakeServers): Readonly<Record<string, Spec>> => {
  const assigner = trusted(fx.assigners, [LAYERED_CONFIG, ...fx.compiled])
  const experiments = fx.assigners.flatMap((a) => (a as { readonly experiments: ReadonlyArray<unknown> }).experiments)
  const conditions = experiments.flatMap((x) => (x as { readonly targeting: ReadonlyArray<unknown> }).targeting)
  const unit = plausible(arbUnit)
  const experimentKey = plausible(fc.constantFrom('exp-0', 'exp-1', 'button', 'copy', 'hero', 'gb-button', 'opt-exp', 'toggle-a', 'nope', '__proto__'))
  const config = fc.oneof(arbConfig, fc.constant(LAYERED_CONFIG))
  const settingsArg = plausible(fc.oneof(oneOf(fx.settings), arbSettingsInput))
  const partial = trusted(fx.partials, [...fx.attributions, ...fx.bothPartials])
  const attribution = trusted(fx.attributions, fx.partials)
  const report = trusted(fx.reports, fx.bothPartials)
  const both = trusted(fx.bothPartials, fx.partials)
  const reportPartial = trusted(fx.reportPartials, fx.partials)
  const reportSettings = plausible(fc.oneof(oneOf(fx.reportSettings), arbSettingsInput.map((s) => lib.reportSettings({ order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: 1e6, direct: [], ...s }, { replicates: 3 }))))
  const histogram = plausible(oneOf(fx.histograms))
  const configOptions = optional(fc.record({ ttlMs: fc.constantFrom(0, 1000, Number.POSITIVE_INFINITY), decode: fc.constantFrom(lib.decodeConfig, lib.fromCompiledConfig, lib.decodeAnyConfig, lib.fromGrowthBook) }, { requiredKeys: [] }))
  const rawOrCompiled = plausible(fc.oneof(oneOf(fx.compiled), config, oneOf(fx.compiled).map(stringify)))
  const source = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(oneOf(fx.compiled), configOptions).map(([c, o]) => lib.inlineConfig(c, o ?? {})) },
    { weight: 1, arbitrary: fc.tuple(rawOrCompiled, configOptions).map(([c, o]) => lib.inlineConfig(c, o ?? {})) },
    { weight: 1, arbitrary: rawOrCompiled.map((c) => lib.configSource(() => c)) },
    { weight: 1, arbitrary: junk },
  )
  const adapterOptions = plausible(
    fc.record(
      {
        config: source,
        experiments: fc.subarray(['button', 'copy', 'hero', 'exp-0', 'nope']),
        unit: fc.constantFrom('id', 'userId'),
        attributes: fc.constantFrom(() => ({ country: 'DE' }), () => ({ country: 'US', plan: 'pro' })),
        identify: fc.constantFrom(() => 'user-7', () => undefined, () => 'bad id;'),
        idHeader: fc.constantFrom('x-device-id', 'x-touchpoint-unit'),
        cookie: fc.oneof(arbCookieOptions, fc.constant(false)),
        consent: fc.constantFrom(() => true, () => false),
        validId: fc.constantFrom((id: string) => id.length > 0),
        newId: fc.constantFrom(() => 'minted-1', () => 'bad id;'),
        forceParam: fc.constant('tp_force'),
        responseHeader: fc.boolean(),
        expose: fc.constantFrom('auto', 'manual'),
        sink: fc.constantFrom(() => undefined, async () => undefined),
        report: fc.constant(() => undefined),
      },
      { requiredKeys: ['config'] },
    ),
  )
  // Functions of touchpoint/edge, looked up when a value is drawn (specsFor is built for every entry).
  const edgeFn = (name: string) => ((own ?? lib) as Readonly<Record<string, (...a: Array<unknown>) => unknown>>)[name]!
  const arbFeature = fc.oneof(
    fc.constantFrom(() => undefined, async () => undefined).map((sink) => edgeFn('exposures')(sink)),
    fc.constant('tp_force').map((name) => edgeFn('forceParam')(name)),
    fc.constant(null).map(() => edgeFn('sticky')(edgeFn('stickyCookie')())),
    fc.constant(() => ({ country: 'DE' })).map((f) => edgeFn('attributes')(f)),
    fc.constant(() => 'user-7').map((f) => edgeFn('identify')(f)),
    fc.constant(() => false).map((f) => edgeFn('consent')(f)),
    fc.oneof(arbCookieOptions, fc.constant(false)).map((c) => edgeFn('idCookie')(c)),
  )
  const leanOptions = plausible(
    fc.record(
      { config: source, experiments: fc.subarray(['button', 'copy', 'hero', 'exp-0', 'nope']), unit: fc.constantFrom('id', 'userId'), report: fc.constant(() => undefined), features: fc.array(arbFeature, { maxLength: 4 }) },
      { requiredKeys: ['config'] },
    ),
  )
  const waitUntil = optional(fc.constant({ waitUntil: () => undefined }))
  const decision = trusted(fx.decisions)
  const sourceMethods = { get: args(optional(fc.constant({}))), reload: args(optional(fc.constant({}))) }
  const textStore = plausible(oneOf(fx.compiled).map((c) => ({ get: async () => stringify(c) })))
  const twoArmsOptions = optional(fc.record({ level: fc.constantFrom(0.9, 0.95), alternative: fc.constantFrom('two-sided', 'greater', 'less'), type: fc.constantFrom('relative', 'absolute'), test: fc.constantFrom('t', 'z') }, { requiredKeys: [] }))
  const fileArg = plausible(fc.constantFrom(fx.files.config, fx.files.compiledConfig, fx.files.badConfig, fx.files.empty, fx.files.missing, fx.files.dir))

  // OpenFeature providers: a config as JSON text, a raw or compiled object or an Assigner; flags are experiments.
  const providerConfig = plausible(fc.oneof(rawOrCompiled, oneOf(fx.assigners)))
  const quiet = () => undefined
  const providerOptions = optional(fc.record({ report: fc.constant(quiet), sink: fc.constant(quiet), track: fc.constant(quiet), now: fc.constant(() => 1_700_000_000_000) }, { requiredKeys: [] }))
  const flagContext = plausible(fc.record({ targetingKey: arbUnitId, country: fc.constantFrom('DE', 'US') }, { requiredKeys: [] }))
  const providerMethods = {
    resolveBooleanEvaluation: args(experimentKey, plausible(fc.boolean()), flagContext),
    resolveStringEvaluation: args(experimentKey, plausible(fc.string({ maxLength: 6 })), flagContext),
    resolveNumberEvaluation: args(experimentKey, plausible(fc.integer()), flagContext),
    resolveObjectEvaluation: args(experimentKey, plausible(fc.constantFrom({}, { a: 1 }, [1])), flagContext),
    track: args(plausible(fc.constant('purchase')), flagContext, optional(fc.record({ value: fc.double({ noNaN: true }) }))),
    setConfig: args(providerConfig),
  }

  const specs: Record<string, Spec> = {
    // -- assignment ------------------------------------------------------------------------------------------
    toExposure: { args: args(assigner), then: [args(trusted(fx.enrolled, fx.assignments))] },
    fromCompiledConfig: { args: args(plausible(oneOf(fx.compiled))) },
    makeAssigner: { args: args(plausible(oneOf(fx.assigners.map((a) => (a as { readonly experiments: unknown }).experiments))), optional(fc.string({ maxLength: 4 }))) },
    validateConfig: { args: args(plausible(config)) },
    decodeConfig: { args: args(plausible(config)) },
    compileConfig: { args: args(plausible(config)) },
    decodeAnyConfig: { args: args(plausible(fc.oneof(config, oneOf(fx.compiled)))) },
    decodeConfigJson: { args: args(corruptText(fc.oneof(config, corrupt(config)).map(stringify))) },
    matches: { args: args(unit), then: [args(trusted(conditions))] },
    assignExperiment: { args: args(unit), then: [args(trusted(experiments, [LAYERED_CONFIG.experiments[0]]))] },
    assignTo: { args: args(experimentKey, unit), then: [args(assigner)] },
    assign: { args: args(unit), then: [args(assigner)] },
    isEnrolled: { args: args(trusted(fx.assignments)) },
    variantOr: { args: args(plausible(fc.constantFrom('control', ''))), then: [args(trusted(fx.assignments))] },
    stickyKey: { args: args(plausible(fc.oneof(oneOf(experiments), fc.record({ key: fc.string(), bucketVersion: fc.nat(3) })))) },
    assignSticky: { args: args(unit, plausible(fc.constantFrom({}, { 'button__0': 'green', 'hero__0': 'nope' }))), then: [args(assigner)] },
    encodeStickyRecord: { args: args(plausible(fc.constantFrom({}, { 'button__0': 'green', 'hero__0': 'nope' }, { 'a\ud800__0': 'x' })), plausible(fc.nat(2048))) },
    decodeStickyRecord: { args: args(plausible(fc.constantFrom('', 'button__0=green&hero__0=nope', 'a=%E0', 'a&b', 'a=1&a=2'))) },
    previewChange: { args: args(assigner), then: [args(assigner)] },
    designedSplit: { args: args(experimentKey), then: [args(assigner)] },
    experimentHandle: { args: args(experimentKey), then: [args(assigner)] },
    nativeHash: { args: args(plausible(fc.string({ maxLength: 12 })), plausible(arbUnitId)) },
    nativeBucket: { args: args(plausible(fc.string({ maxLength: 12 })), plausible(arbUnitId)) },
    optimizelyBucket: { args: args(plausible(fc.constantFrom('1', '10', 'layer'))), then: [args(plausible(arbUnitId))] },
    decideOptimizelyFlag: { args: args(plausible(fc.constantFrom('flag', 'nope')), unit), then: [args(trusted(fx.optimizelyFlags, [OPTIMIZELY_DATAFILE]))] },
    fromOptimizelyFlags: { args: args(plausible(fc.constant(OPTIMIZELY_DATAFILE)), optional(fc.record({ onUnsupported: fc.constantFrom('fail', 'skip') }))) },
    fromOptimizelyDatafile: { args: args(plausible(fc.constant(OPTIMIZELY_DATAFILE)), optional(fc.record({ onUnsupported: fc.constantFrom('fail', 'skip') }))) },
    unleashBucket: { args: args(plausible(fc.constantFrom('toggle-a', '')), plausible(fc.constantFrom(100, 1000, 10_000)), plausible(fc.constantFrom(0, 86_028_157))), then: [args(plausible(arbUnitId))] },
    fromUnleashFeatures: { args: args(plausible(fc.constantFrom(UNLEASH_FEATURES, UNLEASH_FEATURES.features))) },
    murmur3: { args: args(plausible(arbUnitId), plausible(fc.nat())) },
    murmur3LowByte: { args: args(plausible(arbUnitId), plausible(fc.nat())) },
    murmur3Suffixed: { args: args(plausible(fc.string({ maxLength: 6 })), plausible(fc.nat())), then: [args(plausible(arbUnitId))] },
    murmur3LowBytePrefixed: { args: args(plausible(fc.string({ maxLength: 6 })), plausible(fc.nat())), then: [args(plausible(arbUnitId))] },
    fromGrowthBook: { args: args(plausible(fc.constant(GROWTHBOOK_EXPERIMENTS)), optional(fc.record({ onUnsupported: fc.constantFrom('fail', 'skip') }))) },
    formatError: { args: args(plausible(oneOf(ERRORS))) },
    formatIssue: { args: args(plausible(fc.constant(ISSUE))) },

    // -- attribution -----------------------------------------------------------------------------------------
    PathCodec: { args: args(arbSeparator), methods: { decode: args(plausible(fc.constantFrom('a > b', ['a', 'b'], ' > ', ''))) } },
    IndexedPathCodec: { args: args(arbSeparator, arbIntern), methods: { decode: args(plausible(fc.constantFrom('a > b', ['a', 'b'], ' > ', ''))) } },
    Timestamp: { args: args(optional(fc.constantFrom('ms', 's'))), methods: { decode: args(plausible(fc.constantFrom('2024-01-02T03:04:05Z', '1700000000', 1_700_000_000_000, '2024-13-45'))) } },
    parseTimestamp: { args: args(plausible(fc.constantFrom('2024-01-02T03:04:05Z', '2024-01-02 03:04:05.123+02:00', '2024-01-02', '2024-02-30T00:00:00Z', '+275760-09-13T00:00:00Z'))) },
    positionalWeights: { args: args(plausible(fc.constantFrom({ first: 0.4, middle: 0.2, last: 0.4 }, { first: 0, middle: 0, last: 1 }))), then: [args(plausible(fc.integer({ min: 1, max: 12 })))] },
    timeDecayWeights: { args: args(plausible(fc.constantFrom(86_400_000, 1))), then: [args(plausible(fc.array(fc.integer({ min: 0, max: 1e12 }), { maxLength: 6 }).map((ts) => ts.sort((a, b) => a - b))))] },
    lastNonDirectIndex: { args: args(plausible(fc.constant((c: unknown) => c === 'direct'))), then: [args(plausible(fc.array(fc.constantFrom(...CHANNELS), { maxLength: 5 })))] },
    fillPositional: { args: args(plausible(fc.constant({ first: 0.4, middle: 0.2, last: 0.4 })), plausible(fc.integer({ min: 1, max: 8 })), plausible(fc.constant(null).map(() => [] as Array<number>))) },
    fillTimeDecay: { args: args(plausible(fc.constant(86_400_000)), plausible(fc.array(fc.integer({ min: 0, max: 1e9 }), { maxLength: 6 })), plausible(fc.constant(null).map(() => [] as Array<number>))) },
    markovRemovalEffects: { args: args(partial) },
    markovWith: { args: args(plausible(fc.record({ denseLimit: fc.constantFrom(0, 1, 50, 4000) }, { requiredKeys: [] }))), then: [args(partial)] },
    transitionMatrix: { args: args(partial) },
    attribute: { args: args(plausible(fc.record({ models: arbModels, shapley: fc.record({ exactLimit: fc.nat(24), samples: fc.nat(500), seed: fc.string() }, { requiredKeys: [] }) }, { requiredKeys: ['models'] }))), then: [args(partial)] },
    attributionColumns: { args: args(attribution) },
    attributionRows: { args: args(attribution) },
    formatAttribution: { args: args(plausible(fc.constantFrom('csv', 'json', 'markdown'))), then: [args(attribution)] },
    attributePathsText: {
      args: args(plausible(fc.record({ models: arbUntimedModels, settings: arbSettingsInput, separator: fc.constantFrom('>', '|'), delimiter: fc.constantFrom(',', ';'), columns: fc.constant({ path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null' }) }, { requiredKeys: ['models'] }))),
      then: [args(corruptText(arbPathsCsv))],
    },
    pathLayout: { args: args(optional(fc.constant({ path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null' }))), then: [args(plausible(fc.constantFrom(['path', 'total_conversions'], ['path', 'total_conversions', 'total_conversion_value', 'total_null'], [' path ', 'x'])), optional(arbLine))] },
    eventLayout: { args: args(optional(fc.constant({ user: 'user_id', time: 'timestamp', channel: 'channel', conversion: 'conversion', value: 'conversion_value' }))), then: [args(plausible(fc.constantFrom(['user_id', 'timestamp', 'channel', 'conversion'], ['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value'])), optional(arbLine))] },
    decodePathFields: { args: args(trusted([fx.layouts.paths]), optional(arbSeparator)), then: [args(plausible(fc.constantFrom(['search > email', '1', '20', '0'], ['a', '0', '', ''], ['a>>b', '1', '1', '1'])), arbLine)] },
    decodePathFieldsIndexed: { args: args(trusted([fx.layouts.paths]), arbSeparator, arbIntern), then: [args(plausible(fc.constantFrom(['search > email', '1', '20', '0'], ['a', '0', '', ''], ['a>>b', '1', '1', '1'])), arbLine)] },
    decodePathJson: { args: args(optional(fc.constant({ path: 'path', conversions: 'conversions', value: 'value', nulls: 'nulls' })), optional(arbSeparator)), then: [args(corruptText(fc.constantFrom('{"path":"a > b","total_conversions":1,"total_conversion_value":3,"total_null":0}', '{"path":["a","b"],"total_conversions":"2"}')), arbLine)] },
    decodeEventFields: { args: args(trusted([fx.layouts.events]), optional(fc.constantFrom('ms', 's'))), then: [args(plausible(fc.constantFrom(['u1', '2024-01-02T00:00:00Z', 'email', '0', ''], ['u1', '1700000000000', '', '1', '12.5'], ['u1', 'x', 'a', 'maybe', '-1'])), arbLine)] },
    decodeEventJson: { args: args(optional(fc.constant({ user: 'user', time: 'time', channel: 'channel', conversion: 'conversion', value: 'value' })), optional(fc.constantFrom('ms', 's'))), then: [args(corruptText(fc.constantFrom('{"user_id":"u1","timestamp":"2024-01-02T00:00:00Z","channel":"email","conversion":false}', '{"user_id":7,"timestamp":1700000000,"channel":"","conversion":true,"conversion_value":"3"}')), arbLine)] },
    makeSettings: { args: args(plausible(arbSettingsInput)) },
    accumulator: { args: args(settingsArg, fc.option(trusted(fx.partials), { nil: undefined })), methods: { add: args(arbJourney), countRows: args(fc.nat(10)), channelIndex: args(fc.constantFrom(...CHANNELS)), snapshot: args() } },
    emptyPartial: { args: args(settingsArg) },
    mergePartials: { args: args(partial), then: [args(partial)] },
    checkJourney: { args: args(plausible(arbJourney), optional(fc.constantFrom('[0]', 'journeys[3]'))) },
    reduceJourneys: { args: args(settingsArg), then: [args(plausible(arbJourneys))] },
    journeyBuilder: {
      args: args(optional(fc.record({ lookbackMs: fc.constantFrom(0, 86_400_000, Number.POSITIVE_INFINITY), grouped: fc.boolean(), timeColumn: fc.constant('time') }, { requiredKeys: [] }))),
      methods: { push: args(fc.record({ user: fc.constantFrom('u1', 'u2'), time: fc.integer({ min: 0, max: 1e12 }), channel: fc.constantFrom('email', 'search'), conversion: fc.boolean(), value: fc.nat(100) }), fc.integer({ min: 1, max: 1e6 })), end: args(), openUsers: args() },
    },
    shapleySimplified: { args: args(partial) },
    shapleyRate: { args: args(optional(fc.record({ exactLimit: fc.nat(24), samples: fc.nat(300), seed: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }))), then: [args(partial)] },

    // -- report ----------------------------------------------------------------------------------------------
    binOf: { args: args(arbNumberish) },
    binEdges: { args: args(plausible(fc.integer({ min: 0, max: 361 }))) },
    addToCounts: { args: args(plausible(fc.constant(null).map(() => [0, 1, 2] as Array<number>)), arbNumberish, plausible(fc.constantFrom(1, 0.5))) },
    mergeHistograms: { args: args(histogram), then: [args(histogram)] },
    histogramTotal: { args: args(histogram) },
    histogramQuantile: { args: args(plausible(fc.constantFrom(0, 0.1, 0.5, 0.9, 1))), then: [args(histogram)] },
    durationSummary: { args: args(histogram) },
    logGamma: { args: args(plausible(fc.double({ min: -50, max: 200, noNaN: true }))) },
    reportSettings: { args: args(settingsArg, optional(fc.record({ replicates: fc.nat(20), seed: fc.string(), pathCapacity: fc.integer({ min: 2, max: 100 }), flowSteps: fc.integer({ min: 1, max: 12 }) }, { requiredKeys: [] }))) },
    checkReportSettings: { args: args(reportSettings) },
    mergeReportPartials: { args: args(reportPartial), then: [args(reportPartial)] },
    touchpointAccumulator: {
      args: args(reportSettings, fc.option(trusted(fx.reportPartials), { nil: undefined })),
      methods: { add: args(arbJourney), countRows: args(fc.nat(10)), channelIndex: args(fc.constantFrom(...CHANNELS)), snapshot: args() },
    },
    channelTransitions: { args: args(partial) },
    replicatePartial: { args: args(reportPartial), then: [args(plausible(fc.integer({ min: -1, max: 6 })))] },
    reduceTouchpoints: { args: args(reportSettings), then: [args(plausible(arbJourneys))] },
    defaultStage: { args: args(arbChannel) },
    decodeStageMapping: { args: args(plausible(fc.constantFrom({ search: 'consideration', 'Paid Social': 'awareness' }, {}))) },
    decodeStageMappingJson: { args: args(corruptText(fc.constantFrom('{"search":"consideration","store":"purchase"}', '{}'))) },
    stageOf: { args: args(plausible(fc.record({ mapping: fc.constant({ search: 'consideration' }), defaults: fc.boolean() }, { requiredKeys: [] }))), then: [args(arbChannel)] },
    decodeMediumMapping: { args: args(plausible(fc.constantFrom({ store: { stage: 'purchase', medium: 'offline' }, search: 'consideration' }, { partner: { medium: 'online' } }, {}))) },
    mediumFor: { args: args(plausible(fc.constantFrom({ partner: 'online' }, {}, undefined)), plausible(fc.boolean())), then: [args(arbChannel)] },
    parseCosts: { args: args(corruptText(arbCostsCsv), optional(fc.record({ delimiter: fc.constantFrom(',', ';') }))) },
    parseSurveys: {
      args: args(
        corruptText(fc.array(fc.tuple(fc.constantFrom('search', 'store', 'email'), fc.integer({ min: 0, max: 10 })), { maxLength: 30 }).map((rs) => ['touchpoint,score,scale', ...rs.map(([t, x]) => (t === 'store' ? `${t},${1 + (x % 5)},1-5` : `${t},${x},0-10`))].join('\n'))),
        optional(fc.record({ delimiter: fc.constantFrom(',', ';'), level: fc.constantFrom(0.9, 0.95) }, { requiredKeys: [] })),
      ),
    },
    parseTouchpointExperiments: { args: args(plausible(fc.oneof(fc.constant([]), fc.constantFrom(...fx.analyses).map((result) => ({ touchpoint: 'search', result })), fc.constantFrom(...fx.analyses).map((result) => [{ touchpoint: 'email', experiment: 'email holdout', result }])))) },
    quantileSorted: { args: args(plausible(fc.constantFrom(0, 0.025, 0.5, 0.975, 1))), then: [args(plausible(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 20 }).map((xs) => xs.sort((a, b) => a - b))))] },
    buildReport: {
      args: args(plausible(fc.record({ models: arbUntimedModels, stages: fc.constant(fx.stages), defaultStages: fc.boolean(), costs: fc.constant(fx.costs), level: fc.constantFrom(0.8, 0.95), top: fc.nat(20), shapley: fc.record({ samples: fc.nat(100) }) }, { requiredKeys: ['models'] }))),
      then: [args(both)],
    },
    formatDuration: { args: args(plausible(fc.oneof(fc.nat(), fc.constantFrom(999, 60_000, 86_400_000 * 400)))) },
    formatReportJson: { args: args(report) },
    formatReportCsv: { args: args(optional(fc.constantFrom('touchpoints', 'stages', 'paths', 'transitions', 'opportunities', 'actions', 'credits'))), then: [args(report)] },
    formatReportMarkdown: { args: args(report, optional(fc.record({ title: fc.constantFrom('Q1 | <report>', ''), currency: fc.constantFrom('EUR', 'USD', 'EURO'), locale: fc.constantFrom('de-DE', 'en-US', 'zz-!!') }, { requiredKeys: [] }))) },
    formatReportHtml: { args: args(report, optional(fc.record({ title: fc.constantFrom('Q1 <report>', ''), currency: fc.constantFrom('EUR', 'JPY', 'EURO'), locale: fc.constantFrom('de-DE', 'fr-FR', 'zz-!!') }, { requiredKeys: [] }))) },
    decideActions: {
      args: args(optional(fc.record({ alpha: fc.constantFrom(0.05, 0.01), power: fc.constantFrom(0.8, 0.9) }, { requiredKeys: [] }))),
      then: [args(trusted(fx.reports.map((r) => { const x = r as { referenceModel: unknown; bootstrap: { level: unknown }; touchpoints: unknown }; return { referenceModel: x.referenceModel, level: x.bootstrap.level, touchpoints: x.touchpoints } }), fx.reports))],
    },
    afterPurchaseSection: {
      args: args(trusted([...afterPurchasePartials(lib), ...fx.reportPartials], fx.partials), plausible(fc.constantFrom(0.95, 0.8, 0, 1, 1.5)), plausible(fc.constantFrom(lib.stageOf({}), lib.stageOf({ mapping: { email: 'purchase' } }), () => 'Purchase', () => undefined, () => Number.NaN))),
    },
    reduceCsvText: { args: args(reportSettings, optional(fc.record({ lookbackMs: fc.constantFrom(0, 86_400_000), grouped: fc.boolean(), separator: fc.constant('>') }, { requiredKeys: [] }))), then: [args(corruptText(fc.oneof(arbPathsCsv, arbEventsCsv)))] },

    // -- adapters --------------------------------------------------------------------------------------------
    configSource: { args: args(plausible(rawOrCompiled.map((c) => () => c)), configOptions), methods: sourceMethods },
    inlineConfig: { args: args(rawOrCompiled, configOptions), methods: sourceMethods },
    urlConfig: { args: args(plausible(fc.constantFrom('https://config.example.com/experiments.json', 'not a url', '')), optional(fc.record({ ttlMs: fc.constant(0), init: fc.constant({ headers: { accept: 'application/json' } }) }, { requiredKeys: [] }))), methods: sourceMethods },
    kvConfig: { args: args(plausible(fc.oneof(textStore, textStore.map((s) => () => s))), plausible(fc.constant('experiments')), configOptions), methods: sourceMethods },
    kvBinding: { args: args(plausible(fc.constant('CONFIG')), plausible(fc.constant('experiments')), configOptions), methods: { get: args(plausible(textStore.map((s) => ({ CONFIG: s })))) } },
    edgeConfig: { args: args(plausible(oneOf(fx.compiled).map((c) => ({ get: async () => c }))), plausible(fc.constant('experiments')), configOptions), methods: sourceMethods },
    denoKvConfig: { args: args(plausible(oneOf(fx.compiled).map((c) => ({ get: async () => ({ value: c, versionstamp: '1' }) }))), plausible(fc.constant(['config'])), configOptions), methods: sourceMethods },
    bunFileConfig: { args: args(plausible(oneOf(fx.compiled).map((c) => ({ file: () => ({ text: async () => stringify(c) }) }))), plausible(fc.constant('config.json')), configOptions), methods: sourceMethods },
    isValidId: { args: args(plausible(arbUnitId)) },
    cookieValue: { args: args(plausible(fc.constantFrom('tp_uid', 'a'))), then: [args(plausible(fc.constantFrom('a=1; tp_uid=u-42', '', 'tp_uid', '=x; ;tp_uid==')))] },
    serializeCookie: { args: args(optional(arbCookieOptions)), then: [args(plausible(arbUnitId))] },
    encodeAssignments: { args: args(plausible(fc.constantFrom({ hero: 'big', 'cta button': 'green' }, {}))) },
    readAssignments: { args: args(plausible(fc.constantFrom(...HEADERS).map((h) => new Headers(h)))) },
    readUnitId: { args: args(plausible(fc.constantFrom(...HEADERS).map((h) => new Headers(h)))) },
    flushLater: { args: args(decision, waitUntil) },
    checkOptions: { args: args(adapterOptions) },
    stickyCookie: {
      args: args(optional(plausible(fc.record({ maxBytes: fc.integer({ min: 32, max: 5000 }), secret: fc.constantFrom('0123456789abcdef', 'short') }, { requiredKeys: [] })))),
      methods: { assign: args(arbRequest, unit, plausible(arbUnitId), assigner, plausible(fc.constant([]))) },
    },
    decider: { args: args(adapterOptions), methods: { decide: args(arbRequest) } },
    touchpoint: {
      args: args(adapterOptions),
      methods: {
        decide: args(arbRequest),
        forward: args(arbRequest, decision),
        finish: args(plausible(fc.constant(null).map(() => new Response('body'))), decision),
        wrap: args(plausible(arbHandler)),
      },
    },
    cloudflareWorker: { args: args(adapterOptions, optional(arbHandler)), methods: { fetch: args(arbRequest, optional(fc.constant({})), waitUntil) } },
    // The lean worker: its features are made through the entry being called (only touchpoint/edge has them).
    edgeWorker: { args: args(leanOptions, optional(arbHandler)), methods: { fetch: args(arbRequest, optional(fc.constant({})), waitUntil) } },
    edgeWorkerIssues: { args: args(leanOptions) },
    exposures: { args: args(plausible(fc.constantFrom(() => undefined, async () => undefined)), optional(fc.record({ expose: fc.constantFrom('auto', 'manual') }))) },
    forceParam: { args: args(plausible(fc.constant('tp_force'))) },
    sticky: { args: args(plausible(fc.constant(null).map(() => edgeFn('stickyCookie')()))) },
    attributes: { args: args(plausible(fc.constantFrom(() => ({ country: 'DE' }), () => ({ plan: 'pro' })))) },
    identify: { args: args(plausible(fc.constantFrom(() => 'user-7', () => undefined, () => 'bad id;'))) },
    consent: { args: args(plausible(fc.constantFrom(() => true, () => false))) },
    idCookie: { args: args(plausible(fc.oneof(arbCookieOptions, fc.constant(false)))) },
    vercelEdge: { args: args(adapterOptions, plausible(arbHandler)), then: [args(arbRequest, waitUntil)] },
    nextMiddleware: { args: args(adapterOptions), then: [args(arbRequest, waitUntil)] },
    denoHandler: { args: args(adapterOptions, plausible(arbHandler)), then: [args(arbRequest)] },
    bunHandler: { args: args(adapterOptions, plausible(arbHandler)), then: [args(arbRequest)] },
    netlifyEdge: { args: args(adapterOptions, optional(arbHandler)), then: [args(arbRequest, plausible(fc.constant({ next: async () => new Response('next'), waitUntil: () => undefined })))] },
    fromCloudFront: { args: args(plausible(arbCloudFrontRequest)) },
    toCloudFront: { args: args(plausible(fc.constant(null).map(() => new Response('x', { headers: { 'set-cookie': 'a=1', 'x-a': 'b' } })))) },
    lambdaEdge: { args: args(adapterOptions, plausible(arbHandler)), then: [args(plausible(arbCloudFrontEvent))] },
    viewerRequest: { args: args(adapterOptions), then: [args(plausible(arbCloudFrontEvent))] },
    viewerResponse: { args: args(), then: [args(plausible(arbCloudFrontEvent))] },

    // -- openfeature (classes: constructed with new, then their methods called) ---------------------------------
    TouchpointProvider: { args: args(providerConfig, providerOptions), methods: providerMethods },
    TouchpointWebProvider: { args: args(providerConfig, providerOptions), methods: providerMethods },

    // -- node ------------------------------------------------------------------------------------------------
    loadConfigFile: { args: args(fileArg) },
    fileConfig: { args: args(fileArg, configOptions), methods: sourceMethods },
    readAttributionFiles: {
      args: args(optional(fc.record({ kind: fc.constantFrom('paths', 'events'), format: fc.constantFrom('csv', 'jsonl'), onError: fc.constantFrom('fail', 'skip'), settings: arbSettingsInput, lookbackMs: fc.constantFrom(0, 86_400_000), maxReasons: fc.nat(5) }, { requiredKeys: [] }))),
      then: [args(plausible(fc.subarray([fx.files.paths, fx.files.events, fx.files.pathsJsonl, fx.files.empty, fx.files.missing, fx.files.dir], { minLength: 1, maxLength: 2 })))],
    },
    nodeRequest: { args: args(plausible(arbNodeReq)) },
    toWebRequest: { args: args(plausible(arbNodeReq)) },
    writeResponse: { args: args(plausible(arbNodeRes), plausible(fc.constant(null).map(() => new Response('hello', { headers: { 'set-cookie': 'a=1' } })))) },
    nodeListener: { args: args(adapterOptions, plausible(arbHandler)), then: [args(plausible(arbNodeReq), plausible(arbNodeRes))] },
    decisionOf: { args: args(plausible(arbNodeReq)) },
    expressMiddleware: { args: args(adapterOptions), then: [args(plausible(arbNodeReq), plausible(arbNodeRes), plausible(fc.constant(() => undefined)))] },
    fastifyPlugin: { args: args(adapterOptions), then: [args(plausible(fc.constant(null).map(() => ({ addHook: () => undefined }))))] },

    // -- statistics ------------------------------------------------------------------------------------------
    ...distributionSpecs(),
    adjustPValues: { args: args(plausible(fc.constantFrom('holm', 'bonferroni', 'benjamini-hochberg', 'none'))), then: [args(plausible(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 })))] },
    analyze: {
      args: args(optional(fc.record({ level: fc.constantFrom(0.9, 0.95), type: fc.constantFrom('relative', 'absolute'), correction: fc.constantFrom('holm', 'bonferroni', 'none'), sequential: fc.boolean(), tuning: fc.constantFrom(100, 1000), srmThreshold: fc.constantFrom(0.001, 0.01), cuped: fc.boolean() }, { requiredKeys: [] }))),
      then: [args(plausible(arbExperimentData))],
    },
    betaBinomial: { args: args(optional(fc.record({ prior: fc.constant({ alpha: 1, beta: 1 }), level: fc.constant(0.95), draws: fc.nat(1000), seed: fc.string() }, { requiredKeys: [] }))), then: [args(plausible(fc.oneof(arbTwoBinomial, fc.record({ control: arbHugeBinomial, treatment: arbHugeBinomial }))))] },
    chiSquareTest: { args: args(optional(fc.record({ correction: fc.boolean() }))), then: [args(plausible(fc.array(arbBinomialArm, { minLength: 2, maxLength: 4 })))] },
    compareToControl: { args: args(twoArmsOptions), then: [args(plausible(fc.record({ control: arbBinomialArm, treatments: fc.array(arbBinomialArm, { maxLength: 3 }) })))] },
    confidenceSequence: { args: args(optional(fc.record({ tuning: fc.constantFrom(100, 1000), level: fc.constant(0.95) }, { requiredKeys: [] }))), then: [args(plausible(arbTwoArms))] },
    csat: { args: args(optional(fc.record({ threshold: fc.integer({ min: 1, max: 5 }) }))), then: [args(plausible(fc.record({ control: fc.array(fc.nat(300), { minLength: 5, maxLength: 5 }), treatment: fc.array(fc.nat(300), { minLength: 5, maxLength: 5 }) })))] },
    cuped: { args: args(twoArmsOptions), then: [args(plausible(fc.record({ control: arbCupedArm, treatment: arbCupedArm })))] },
    decodeArm: { args: args(plausible(fc.constantFrom('control', 'arms[1]')), optional(fc.constantFrom('binomial', 'continuous', 'ratio'))), then: [args(plausible(arbArm))] },
    decodeExperimentData: { args: args(plausible(arbExperimentData)) },
    decodeTwoArms: { args: args(optional(fc.constantFrom('binomial', 'continuous', 'ratio'))), then: [args(plausible(arbTwoArms))] },
    detectableEffect: { args: args(plausible(arbPowerDesign)), then: [args(plausible(fc.integer({ min: 2, max: 1e7 })))] },
    fisherExact: { args: args(optional(fc.record({ alternative: fc.constantFrom('two-sided', 'greater', 'less') }))), then: [args(plausible(fc.oneof(arbTwoBinomial, fc.record({ control: arbHugeBinomial, treatment: arbHugeBinomial }))))] },
    formatPValue: { args: args(plausible(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1e-320, 1e-300)))) },
    gaussianBayes: { args: args(optional(fc.record({ prior: fc.constant({ mean: 0, variance: 1 }), type: fc.constantFrom('relative', 'absolute'), level: fc.constant(0.95), inverse: fc.boolean() }, { requiredKeys: [] }))), then: [args(plausible(arbTwoArms))] },
    kindOf: { args: args(plausible(arbArm)) },
    lift: { args: args(twoArmsOptions), then: [args(plausible(arbTwoArms))] },
    msprt: { args: args(optional(fc.record({ tau: fc.constantFrom(0.01, 0.02), alpha: fc.constant(0.05) }, { requiredKeys: [] }))), then: [args(plausible(arbTwoArms))] },
    msprtSequence: { args: args(optional(fc.record({ tau: fc.constant(0.02) }))), then: [args(plausible(fc.array(arbTwoBinomial, { maxLength: 4 })))] },
    nps: { args: args(optional(fc.record({ alternative: fc.constantFrom('two-sided', 'greater'), level: fc.constant(0.95) }, { requiredKeys: [] }))), then: [args(plausible(fc.record({ control: fc.record({ promoters: fc.nat(500), passives: fc.nat(500), detractors: fc.nat(500) }), treatment: fc.record({ promoters: fc.nat(500), passives: fc.nat(500), detractors: fc.nat(500) }) })))] },
    probabilityToBeBest: { args: args(optional(fc.record({ prior: fc.constant({ alpha: 1, beta: 1 }), draws: fc.nat(2000), seed: fc.string() }, { requiredKeys: [] }))), then: [args(plausible(fc.array(arbBinomialArm, { minLength: 2, maxLength: 4 })))] },
    proportionsZTest: { args: args(twoArmsOptions), then: [args(plausible(arbTwoBinomial))] },
    sampleRatioMismatch: { args: args(plausible(fc.constantFrom([0.5, 0.5], [1, 1, 2], [0.2, 0.8])), optional(fc.record({ threshold: fc.constant(0.001) }))), then: [args(plausible(fc.array(fc.nat(100_000), { minLength: 2, maxLength: 3 })))] },
    sampleSize: { args: args(plausible(arbPowerDesign)), then: [args(plausible(fc.record({ mde: fc.constantFrom(0.01, 0.05, 0.1), relative: fc.boolean() }, { requiredKeys: ['mde'] })))] },
    summarize: { args: args(optional(fc.record({ format: fc.constantFrom('text', 'markdown') }))), then: [args(trusted(fx.analyses))] },
    welchTTest: { args: args(twoArmsOptions), then: [args(plausible(arbTwoContinuous))] },

    // -- the reading pipeline and the SQL result reader (t10a) --------------------------------------------------
    ...readingSpecs(lib, fx),

    // -- the engines (touchpoint/engines) -------------------------------------------------------------------------
    ...engineSpecs(fx),

    // -- touchpoint/sql, the rest of touchpoint/engines, touchpoint/experiments (warehouse.ts) ---------------------
    ...warehouseSpecs(lib, fx),

    // -- experiment analysis from logs, in process and where the data lives; engine connections (logs.ts) ----------
    ...logSpecs(lib, own, servers),
  }
  return specs
}

/** Report partials with after-purchase journeys (the fixtures' have none): as the event reader hands them over. */
const afterPurchasePartials = (lib: Lib): ReadonlyArray<unknown> => {
  const day = 86_400_000
  const acc = lib.touchpointAccumulator(lib.reportSettings(lib.DEFAULT_SETTINGS, { replicates: 0 }))
  acc.addIndexed([acc.channelIndex('email')], 1, 1, 40, 0, [10 * day], 12 * day, 0)
  acc.addIndexed([acc.channelIndex('search'), acc.channelIndex('email')], 1, 0, 0, 0, [day, 2 * day], 2 * day, 0)
  acc.addIndexed([acc.channelIndex('東京 😀')], 1, 1, 1e300, 0, [40 * day], 41 * day, 0)
  return [acc.snapshot()]
}

/** The reading pipeline's entry points and touchpoint/sql's result reader. */
const readingSpecs = (lib: Lib, fx: Fixtures): Record<string, Spec> => {
  const readOptions = fc.record(
    { preset: fc.constantFrom('ga4', 'segment', 'snowplow'), kind: fc.constantFrom('paths', 'events'), onError: fc.constantFrom('fail', 'skip'), maxReasons: fc.nat(3), delimiter: fc.constantFrom(',', ';'), settings: arbSettingsInput },
    { requiredKeys: [] },
  )
  const readSettings = [lib.readSettings({}), lib.readSettings({ kind: 'paths', onError: 'skip' }), lib.readSettings({ preset: 'ga4' })].map((r: { readonly right: unknown }) => r.right)
  const settingsRows = [
    { section: 'settings', channels: JSON.stringify({ format: 1, input: 'paths', models: ['first', 'markov'], order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: 604800000, direct: ['direct'] }) },
    { section: 'channel', channels: 'b', first_conversions: '1', first_value: '10', rows: 1, journeys: 1, conversions: 1, value: 10 },
    { section: 'start', channels: 'b', conversions: 1, nulls: 0 },
    { section: 'edge', channels: 'b>a', conversions: 1, nulls: 0 },
    { section: 'exit', channels: 'a', conversions: 1, value: 10, nulls: 0 },
  ]
  // A Dialect of the caller's own (compileAttribution takes one too): the sql entry's DIALECTS are not in `lib`.
  const ownDialect = { name: 'duckdb', table: (parts: ReadonlyArray<string>) => parts.map((p) => `"${p}"`).join('.') }
  return {
    readAttributionText: { args: args(plausible(readOptions)), then: [args(corruptText(fc.oneof(arbPathsCsv, arbEventsCsv)))] },
    readSettings: { args: args(plausible(readOptions)) },
    reader: {
      args: args(plausible(fc.constantFrom(...readSettings)), trusted(fx.settings.map((s) => lib.accumulator(s))), optional(fc.record({ where: fc.constant((_: number, line: number) => `x:${line}`), onProgress: fc.constant(() => undefined) }, { requiredKeys: [] }))),
      methods: { source: args(plausible(fc.record({ name: fc.constantFrom('paths.csv', '-'), format: fc.constantFrom('csv', 'jsonl') }, { requiredKeys: ['name'] }))), finish: args(), failed: args() },
    },
    decodeAttributionRows: { args: args(optional(fc.record({ firstLine: fc.nat(5) }))), then: [args(plausible(fc.constant(settingsRows)))] },
    decodeChannels: { args: args(plausible(fc.constantFrom('a>b', '', 'a%3Eb>c%25', '>', 'a%3e'))) },
    quoteTable: { args: args(plausible(fc.constant(ownDialect))), then: [args(plausible(fc.constantFrom('events', 'analytics.events', 'a"b', '', 'x'.repeat(300))))] },
  }
}

/**
 * The engines' entry points. `openDuckDb` really starts DuckDB when its options are valid; the worker closes every
 * driver a Right hands back (Call.check), as a caller would, so each start is closed and its spill directory removed.
 */
const engineSpecs = (fx: Fixtures): Record<string, Spec> => {
  const directory = fc.constantFrom(fx.files.dir, join(fx.files.dir, 'spill'), fx.files.config, fx.files.missing)
  const duckDbOptions = fc.record(
    {
      memoryLimit: fc.constantFrom('512MB', '64MB', '1GB', '2GiB', '1.5GB', ' 100 MB ', '1B', '0B', '16TB', '8192TiB', '20000000TB'),
      threads: fc.constantFrom(1, 2, 4),
      tempDirectory: directory,
      spillDirectoryParent: directory,
    },
    { requiredKeys: [] },
  )
  return {
    openDuckDb: { args: args(optional(duckDbOptions)) },
  }
}

/** stats-tails' distributions: `(parameters) => (x) => Either`, parameters per family, x a point or a probability. */
const distributionSpecs = (): Record<string, Spec> => {
  const point = plausible(fc.double({ min: -50, max: 50, noNaN: true }))
  const probability = plausible(fc.double({ min: 0, max: 1, noNaN: true }))
  const positive = fc.double({ min: 0.1, max: 40, noNaN: true })
  const families: ReadonlyArray<readonly [string, fc.Arbitrary<unknown>]> = [
    ['normal', optional(fc.record({ mean: fc.double({ min: -10, max: 10, noNaN: true }), sd: positive }, { requiredKeys: [] }))],
    ['beta', plausible(fc.record({ alpha: positive, beta: positive }))],
    ['gamma', plausible(fc.record({ shape: positive, scale: positive }, { requiredKeys: ['shape'] }))],
    ['studentT', plausible(fc.record({ df: positive }))],
    ['chiSquare', plausible(fc.record({ df: positive }))],
  ]
  return Object.fromEntries(
    families.flatMap(([name, parameters]) => [
      [`${name}Cdf`, { args: args(parameters), then: [args(point)] }],
      [`${name}Sf`, { args: args(parameters), then: [args(point)] }],
      [`${name}Quantile`, { args: args(parameters), then: [args(probability)] }],
      [`${name}Isf`, { args: args(parameters), then: [args(probability)] }],
    ]),
  )
}
