/**
 * From a report partial (the one reducer's attribution partial and the report's sums over it) to a finished
 * `Report`: credits of every model side by side with bootstrap intervals and disagreement, roles, positions,
 * times, stages, paths, costs and a ranked list of what to improve first.
 *
 * @module
 */
import { afterPurchaseSection } from './afterPurchase'
import * as E from 'fp-ts/Either'
import { attribute } from '../attribution/attribute'
import { CONVERSION_STATE, NULL_STATE, START_STATE, type ModelName } from '../attribution/model'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { replicateReader, replicateShapley } from './replicates'
import { decideActions } from './decide'
import { reportPartialIssues } from './internal/guards'
import { binEdges, durationSummary } from './histogram'
import type { Disagreement, ModelCredit, Opportunity, Report, ReportPartial, Roles, StageOrUnmapped, StageRow, Touchpoint, TouchpointCost } from './model'
import { STAGES, UNMAPPED } from './model'
import { mediumFor, stageOf } from './stages'
import { channelTransitions } from './transitions'
import { linksWithShares, pathRows } from './lists'
import { replicateMarkov } from './markovReplicates'
import { optionIssues, type ReportOptions } from './reportOptions'
import { percentileInterval, ratio, sd } from './summaries'

export type { ReportOptions } from './reportOptions'
export { quantileSorted } from './summaries'

/** The models that read a partial's channel sets. */
const SET_MODELS: ReadonlyArray<ModelName> = ['participation', 'shapley', 'shapley_rate']

const referenceOf = (models: ReadonlyArray<ModelName>): ModelName =>
  models.includes('markov') ? 'markov' : models.includes('linear') ? 'linear' : (models.find((m) => m !== 'participation') ?? models[0]!)

/**
 * The report. Channels keep attribution's order (first appearance). `Left` when attribution fails (time decay
 * on paths without times, Markov with no conversion, an unknown model), for a bad level, or for a model the
 * partial's `bootstrapModels` left out (its replicate sums were not kept).
 *
 * **Gotchas**: bootstrap replicates where a model is undefined (no conversion drawn, for Markov) are left out;
 * `bootstrap.used` says how many counted.
 *
 * @example
 * pipe(partials, buildReport({ models: ['first', 'last', 'linear', 'markov'], costs }))
 * // => right({ touchpoints: [{ channel: 'display', stage: 'awareness', roles: { introducer: 14, … }, … }, …], … })
 *
 * @category report
 * @since 0.1.0
 */
export const buildReport =
  (options: ReportOptions) =>
  (partial: ReportPartial): E.Either<TouchpointError, Report> => {
    const bad = [...optionIssues(options), ...reportPartialIssues(partial, 'partial')]
    if (bad.length > 0) return E.left(invalidInput(bad))
    const level = options.level ?? 0.95
    if (!(level > 0 && level < 1)) return E.left(invalidInput([issue('level', 'a number in (0, 1)', level)]))
    if (options.models.length === 0) return E.left(invalidInput([issue('models', 'at least one model', options.models)]))
    const kept = partial.settings.bootstrapModels
    const notKept = kept === undefined || partial.settings.replicates === 0 ? [] : options.models.filter((m) => !kept.includes(m))
    if (notKept.length > 0) {
      const expected = `models whose bootstrap the partial kept (bootstrapModels: ${kept!.join(', ') || 'none'}); reduce with these models in bootstrapModels, or leave it out to keep all`
      return E.left(invalidInput([issue('models', expected, notKept)]))
    }
    const top = options.top ?? 10
    const rp = partial
    const ap = partial.attribution
    // No conversion at all: Markov has no removal effect to measure (it would refuse the whole report); the other
    // models still credit nothing and the page still shows reach, roles and paths. Markov alone keeps its error.
    const computed = ap.totals.conversions > 0 || options.models.every((m) => m === 'markov') ? options.models : options.models.filter((m) => m !== 'markov')
    const point = attribute({ models: computed, ...(options.shapley === undefined ? {} : { shapley: options.shapley }) })(ap)
    if (E.isLeft(point)) return point
    const a = point.right
    const models = a.models
    const names = ap.channels
    const channelNumber = new Map(names.map((c, i) => [c, i] as const))
    const transitionSums = channelTransitions(ap)
    const stage = stageOf({ ...(options.stages === undefined ? {} : { mapping: options.stages }), ...(options.defaultStages === undefined ? {} : { defaults: options.defaultStages }) })
    const stages = names.map(stage)
    const givenMedium = mediumFor(options.media, false)
    const n = names.length

    // Reach from attribution's channel sets: journeys with at least one touch on a channel.
    const reach = new Array<number>(n).fill(0)
    const convReach = new Array<number>(n).fill(0)
    const stageOrder = [...STAGES, UNMAPPED] as ReadonlyArray<StageOrUnmapped>
    const stageReach = new Array<number>(stageOrder.length).fill(0)
    const stageConvReach = new Array<number>(stageOrder.length).fill(0)
    const furthest = new Array<number>(STAGES.length).fill(0)
    const furthestConv = new Array<number>(STAGES.length).fill(0)
    for (const s of ap.sets) {
      const seen = new Set<number>()
      let far = -1
      for (const c of s.channels) {
        reach[c] = reach[c]! + s.conversions + s.nulls
        convReach[c] = convReach[c]! + s.conversions
        const k = stageOrder.indexOf(stages[c]!)
        seen.add(k)
        if (k < STAGES.length && k > far) far = k
      }
      for (const k of seen) {
        stageReach[k] = stageReach[k]! + s.conversions + s.nulls
        stageConvReach[k] = stageConvReach[k]! + s.conversions
      }
      if (far >= 0) {
        furthest[far] = furthest[far]! + s.conversions + s.nulls
        furthestConv[far] = furthestConv[far]! + s.conversions
      }
    }

    // Bootstrap: every model on every replicate (the replicates share the reducer's channels and Markov states).
    const draws = new Map<ModelName, Array<Array<number>>>(models.map((m) => [m, names.map(() => [] as Array<number>)]))
    let used = 0
    const others = models.filter((m) => m !== 'markov')
    // Shapley (simplified) is read off the replicate sums of sets directly (`replicateShapley`: the same numbers);
    // then, unless another model reads sets, replicates need no set objects. Shapley never fails, so the replicates
    // attribute refuses are the same either way.
    const shapleyOf = others.includes('shapley') ? replicateShapley(rp) : undefined
    const attributed = shapleyOf === undefined ? others : others.filter((m) => m !== 'shapley')
    const replicate = replicateReader(rp, attributed.some((m) => SET_MODELS.includes(m)))
    const markovOf = replicateMarkov(ap, models.includes('markov') && rp.bootstrap.replicates > 0)
    for (let k = 0; k < rp.bootstrap.replicates; k++) {
      const partial = replicate(k)
      const r = attribute({ models: attributed, ...(options.shapley === undefined ? {} : { shapley: options.shapley }) })(partial)
      const markov = markovOf(partial)
      if (E.isLeft(r) || E.isLeft(markov)) continue
      used++
      for (const m of others) {
        const cols = draws.get(m)!
        if (m === 'shapley' && shapleyOf !== undefined) shapleyOf(k).forEach((x, i) => cols[i]!.push(x))
        else r.right.channels.forEach((c, i) => cols[i]!.push(c.credits[m]!.conversions))
      }
      if (markov.right !== undefined) {
        const cols = draws.get('markov')!
        markov.right.conversions.forEach((x, i) => cols[i]!.push(x))
      }
    }

    const totalConversions = ap.totals.conversions
    const comparable = models.filter((m) => m !== 'participation')
    const costs = options.costs
    const touchpoints: Array<Touchpoint> = a.channels.map((row, i): Touchpoint => {
      const j = i
      const ch = rp.channel
      const pick = (r: { readonly [K in keyof Roles]: ReadonlyArray<number> }): Roles => ({
        introducer: r.introducer[j]!,
        assister: r.assister[j]!,
        closer: r.closer[j]!,
        solo: r.solo[j]!,
      })
      const roles = pick(ch.convertingRoles)
      const roleTotal = roles.introducer + roles.assister + roles.closer + roles.solo
      const credits: Partial<Record<ModelName, ModelCredit>> = {}
      for (const m of models) {
        const c = row.credits[m]!
        const xs = draws.get(m)![i]!
        credits[m] = {
          conversions: c.conversions,
          value: c.value,
          share: ratio(c.conversions, totalConversions),
          ...(used > 1 ? { interval: percentileInterval(xs, level), standardError: sd(xs) } : {}),
        }
      }
      let disagreement: Disagreement | undefined
      if (comparable.length >= 2) {
        const vals = comparable.map((m) => row.credits[m]!.conversions)
        let lo = 0
        let hi = 0
        // Sums merged from shards differ from one pass in the last bits: a near-tie (linear 1.5 against position
        // 1.5000000000000002) must not name a different model, so ties within 1e-9 keep the earlier model.
        const clearlyBelow = (a: number, b: number) => a < b - 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
        vals.forEach((v, k) => {
          if (clearlyBelow(v, vals[lo]!)) lo = k
          if (clearlyBelow(vals[hi]!, v)) hi = k
        })
        const mean = vals.reduce((s, v) => s + v, 0) / vals.length
        const spread = vals[hi]! - vals[lo]!
        const base: Disagreement = {
          lowestModel: comparable[lo]!,
          lowest: vals[lo]!,
          highestModel: comparable[hi]!,
          highest: vals[hi]!,
          spread,
          coefficientOfVariation: mean > 0 ? sd(vals) / mean : 0,
        }
        if (used > 1 && lo !== hi) {
          const hx = draws.get(comparable[hi]!)![i]!
          const lx = draws.get(comparable[lo]!)![i]!
          const iv = percentileInterval(hx.map((x, k) => x - lx[k]!), level)
          disagreement = { ...base, spreadInterval: iv, clear: iv.lower > 0 || iv.upper < 0 }
        } else disagreement = base
      }
      let cost: TouchpointCost | undefined
      const spend = costs?.channels[row.channel]
      if (spend !== undefined) {
        const cpc: Partial<Record<ModelName, number | null>> = {}
        const ros: Partial<Record<ModelName, number | null>> = {}
        for (const m of models) {
          const c = row.credits[m]!
          cpc[m] = c.conversions > 0 ? spend / c.conversions : null
          ros[m] = spend > 0 ? c.value / spend : null
        }
        cost = { cost: spend, costPerConversion: cpc, returnOnSpend: ros }
      }
      const ttc = durationSummary(ch.touchToConversion[j]!)
      const touches = ch.touches[j]!
      const medium = givenMedium(row.channel)
      return {
        channel: row.channel,
        stage: stages[i]!,
        ...(medium === undefined ? {} : { medium }),
        touches,
        journeys: reach[i]!,
        convertingJourneys: convReach[i]!,
        conversionRate: ratio(convReach[i]!, reach[i]!),
        roles,
        roleShares: {
          introducer: ratio(roles.introducer, roleTotal),
          assister: ratio(roles.assister, roleTotal),
          closer: ratio(roles.closer, roleTotal),
          solo: ratio(roles.solo, roleTotal),
        },
        rolesAllJourneys: pick(ch.roles),
        averagePosition: ratio(ch.positionSum[j]!, touches),
        averageTouchesAfter: ratio(ch.toEndSum[j]!, touches),
        ...(ttc === undefined ? {} : { timeToConversion: ttc }),
        credits,
        ...(disagreement === undefined ? {} : { disagreement }),
        ...(row.markovRemovalEffect === undefined ? {} : { markovRemovalEffect: row.markovRemovalEffect }),
        ...(cost === undefined ? {} : { cost }),
      }
    })

    // Stages.
    const stageIndexOf = (name: string) => stageOrder.indexOf(stage(name))
    const stageRows: Array<StageRow> = []
    stageOrder.forEach((s, k) => {
      const members = names.filter((_, i) => stages[i] === s)
      if (s === UNMAPPED && members.length === 0) return
      const idx = members.map((m) => channelNumber.get(m)!)
      const sum = (xs: ReadonlyArray<number>) => idx.reduce((t, j) => t + xs[j]!, 0)
      const dropOff = sum(transitionSums.exitNulls)
      const beyond = k < STAGES.length ? furthest.slice(k).reduce((t, x) => t + x, 0) : 0
      const beyondConv = k < STAGES.length ? furthestConv.slice(k).reduce((t, x) => t + x, 0) : 0
      stageRows.push({
        stage: s,
        channels: members,
        touches: sum(rp.channel.touches),
        journeys: stageReach[k]!,
        convertingJourneys: stageConvReach[k]!,
        conversionRate: ratio(stageConvReach[k]!, stageReach[k]!),
        reachedOrBeyond: beyond,
        convertingReachedOrBeyond: beyondConv,
        dropOff,
        dropOffRate: ratio(dropOff, stageReach[k]!),
        closes: sum(transitionSums.exitConversions),
      })
    })
    const stageLinks = new Map<string, { from: string; to: string; weight: number }>()
    const addStageLink = (from: string, to: string, w: number) => {
      if (w <= 0) return
      const key = `${from}\u0000${to}`
      const l = stageLinks.get(key)
      if (l === undefined) stageLinks.set(key, { from, to, weight: w })
      else l.weight += w
    }
    names.forEach((name, j) => {
      const s = stageOrder[stageIndexOf(name)]!
      addStageLink(START_STATE, s, transitionSums.start[j]!)
      addStageLink(s, CONVERSION_STATE, transitionSums.exitConversions[j]!)
      addStageLink(s, NULL_STATE, transitionSums.exitNulls[j]!)
    })
    for (const [x, y, w] of transitionSums.edges) {
      const sx = stage(names[x]!)
      const sy = stage(names[y]!)
      if (sx !== sy) addStageLink(sx, sy, w)
    }

    // Paths.
    const lengths: Array<{ length: number; conversions: number; nulls: number }> = []
    rp.lengths.conversions.forEach((c, len) => {
      const u = rp.lengths.nulls[len] ?? 0
      if (c > 0 || u > 0) lengths.push({ length: len, conversions: c, nulls: u })
    })
    const transitionsRaw: Array<{ from: string; to: string; weight: number }> = []
    names.forEach((name, j) => {
      if (transitionSums.exitConversions[j]! > 0) transitionsRaw.push({ from: name, to: CONVERSION_STATE, weight: transitionSums.exitConversions[j]! })
      if (transitionSums.exitNulls[j]! > 0) transitionsRaw.push({ from: name, to: NULL_STATE, weight: transitionSums.exitNulls[j]! })
      if (rp.channel.repeats[j]! > 0) transitionsRaw.push({ from: name, to: name, weight: rp.channel.repeats[j]! })
    })
    for (const [x, y, w] of transitionSums.edges) transitionsRaw.push({ from: names[x]!, to: names[y]!, weight: w })
    const transitions = linksWithShares(transitionsRaw)
      .filter((l) => !l.to.startsWith('(') && l.from !== l.to)
      .sort((x, y) => y.weight - x.weight || (x.from + x.to < y.from + y.to ? -1 : 1))
      .slice(0, top)
    const ttcAll = durationSummary(rp.journeyDuration)
    const ttcBins = rp.journeyDuration.counts.flatMap((c, b) => (c > 0 ? [{ from: binEdges(b)[0], to: binEdges(b)[1], conversions: c }] : []))

    // Costs and the ranking.
    const reference = referenceOf(models)
    const totalCost = costs === undefined ? undefined : names.reduce((s, name) => s + (costs.channels[name] ?? 0), 0)
    const journeys = ap.totals.conversions + ap.totals.nulls
    const overallRate = ratio(totalConversions, journeys)
    // The average touchpoint's rate, not the journeys': channels sit on longer journeys, which convert more.
    const baseRate = ratio(
      touchpoints.reduce((s, t) => s + t.convertingJourneys, 0),
      touchpoints.reduce((s, t) => s + t.journeys, 0),
    )
    const overallCpa = totalCost !== undefined && totalConversions > 0 ? totalCost / totalConversions : undefined
    const importance = touchpoints.map((t) => (t.markovRemovalEffect !== undefined ? t.markovRemovalEffect : t.credits[reference]!.conversions))
    const importanceTotal = importance.reduce((s, x) => s + x, 0)
    const raw = touchpoints.map((t, i) => {
      // Only a shortfall beyond binomial noise counts (z > 1.96 against the base rate).
      const z = t.journeys > 0 && baseRate > 0 && baseRate < 1 ? (baseRate - t.conversionRate) / Math.sqrt((baseRate * (1 - baseRate)) / t.journeys) : 0
      const conversionGap = z > 1.96 ? t.journeys * (baseRate - t.conversionRate) : 0
      const spend = t.cost?.cost
      const excessSpend = spend !== undefined && overallCpa !== undefined ? Math.max(0, spend - t.credits[reference]!.conversions * overallCpa) : 0
      const underfunded =
        spend !== undefined && totalCost !== undefined && totalCost > 0 && importanceTotal > 0 ? Math.max(0, importance[i]! / importanceTotal - spend / totalCost) : 0
      return { channel: t.channel, conversionGap, excessSpend, underfunded }
    })
    const maxOf = (k: 'conversionGap' | 'excessSpend' | 'underfunded') => Math.max(0, ...raw.map((r) => r[k]))
    const mg = maxOf('conversionGap')
    const me = maxOf('excessSpend')
    const mu = maxOf('underfunded')
    const money = (x: number) => x.toFixed(2)
    const opportunities: Array<Opportunity> = raw
      .map((r, i) => {
        const t = touchpoints[i]!
        const reasons: Array<string> = []
        if (r.conversionGap > 0) reasons.push(`reaches ${Math.round(t.journeys)} journeys but converts ${(100 * t.conversionRate).toFixed(1)}% against ${(100 * baseRate).toFixed(1)}% for the average touchpoint: ${r.conversionGap.toFixed(1)} conversions short`)
        if (r.excessSpend > 0) reasons.push(`costs ${money(r.excessSpend)} more than its ${reference} conversions would at the average cost per conversion`)
        if (r.underfunded > 0) reasons.push(`${(100 * (importance[i]! / importanceTotal)).toFixed(1)}% of ${t.markovRemovalEffect !== undefined ? 'removal effect' : `${reference} credit`} on ${(100 * ((t.cost?.cost ?? 0) / (totalCost ?? 1))).toFixed(1)}% of spend`)
        const score = ratio(r.conversionGap, mg) + ratio(r.excessSpend, me) + ratio(r.underfunded, mu)
        return { ...r, score, reasons }
      })
      .filter((o) => o.score > 0)
      .sort((x, y) => y.score - x.score || (x.channel < y.channel ? -1 : 1))

    const report: Report = {
      models,
      referenceModel: reference,
      totals: {
        journeys,
        conversions: totalConversions,
        value: ap.totals.value,
        nulls: ap.totals.nulls,
        touches: rp.totals.touches,
        conversionRate: overallRate,
        channels: n,
        ...(totalCost === undefined ? {} : { cost: totalCost }),
      },
      touchpoints,
      stages: stageRows,
      stageFlow: linksWithShares([...stageLinks.values()]),
      paths: {
        topConverting: pathRows(rp, (p) => p.conversions, top),
        topNonConverting: pathRows(rp, (p) => p.nulls, top),
        exact: rp.paths.error === 0,
        countError: rp.paths.error,
        lengths,
        ...(ttcAll === undefined ? {} : { timeToConversion: ttcAll }),
        timeToConversionBins: ttcBins,
        transitions,
      },
      flow: rp.flow
        .map(([step, x, y, w]) => ({ step, from: names[x]!, to: y === -1 ? CONVERSION_STATE : y === -2 ? NULL_STATE : names[y]!, weight: w }))
        .sort((x, y) => x.step - y.step || y.weight - x.weight || (x.from + x.to < y.from + y.to ? -1 : 1)),
      flowSteps: rp.settings.flowSteps,
      ...(costs === undefined || totalCost === undefined
        ? {}
        : {
            costs: {
              total: totalCost,
              periods: costs.periods,
              unmatched: Object.keys(costs.channels).filter((c) => !channelNumber.has(c)).sort(),
              costPerConversion: totalConversions > 0 ? totalCost / totalConversions : null,
              returnOnSpend: totalCost > 0 ? ap.totals.value / totalCost : null,
            },
          }),
      afterPurchase: afterPurchaseSection(rp, level, stage),
      actions: [],
      opportunities,
      bootstrap: { replicates: rp.bootstrap.replicates, used, seed: rp.settings.seed, level },
    }
    const evidence = {
      ...(options.satisfaction === undefined ? {} : { satisfaction: options.satisfaction }),
      ...(options.experiments === undefined ? {} : { experiments: options.experiments }),
    }
    const actions = decideActions(options.tests ?? {})({ referenceModel: reference, level, touchpoints, ...evidence })
    if (E.isLeft(actions)) return actions
    return E.right({ ...report, ...evidence, actions: actions.right })
  }
