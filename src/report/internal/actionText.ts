/**
 * The actions as sentences, shared by the HTML and Markdown renderers (and the CSV table `actions`).
 *
 * @module
 * @internal
 */
import type { Action } from '../actions'
import { satisfactionText } from './evidenceText'
import { percent, type Numbers } from './format'

/** @internal Headings of the action kinds, in the report's order. */
export const ACTION_HEADINGS: Readonly<Record<Action['_tag'], string>> = {
  Scale: 'Scale up',
  Cut: 'Cut or renegotiate',
  Fix: 'Fix the experience',
  Test: 'Test it',
}

/** @internal An action as text: its evidence and why the evidence is beyond noise. */
export interface ActionText {
  readonly evidence: string
  readonly uncertainty: string
}

/** An upper bound that is not finite means the credit's interval reaches 0: no bound on the cost per conversion. */
const upTo = (x: number, f: (x: number) => string) => (Number.isFinite(x) ? f(x) : 'unbounded')

/** @internal */
export const actionText = (a: Action, level: number, f: Numbers): ActionText => {
  const lv = percent(level, 0)
  switch (a._tag) {
    case 'Scale':
    case 'Cut':
      return {
        evidence:
          `${f.money(a.cost)} spent for ${f.decimal(a.conversions.value, 1)} ${a.experiment === undefined ? `attributed conversions [${f.decimal(a.conversions.lower, 1)}–${f.decimal(a.conversions.upper, 1)}] (${a.model})` : `conversions measured by ${a.experiment} [${f.decimal(a.conversions.lower, 1)}–${f.decimal(a.conversions.upper, 1)}] (journeys reached × its change in conversion rate; the experiment, not the model's credit)`}: ` +
          `${upTo(a.costPerConversion.value, f.money)} per conversion [${upTo(a.costPerConversion.lower, f.money)}–${upTo(a.costPerConversion.upper, f.money)}] against ${f.money(a.benchmark)} for the paid touchpoints together; return on spend ${f.decimal(a.returnOnSpend)}.`,
        uncertainty: `The whole ${lv} interval is ${a._tag === 'Scale' ? 'below' : 'above'} the paid average.`,
      }
    case 'Fix':
      return a.reason === 'conversion'
        ? {
            evidence: `${f.count(a.journeys)} journeys reached it; ${percent(a.rate.value)} of them converted [${percent(a.rate.lower)}–${percent(a.rate.upper)}] against ${percent(a.baseRate)} for the average touchpoint: about ${f.count(Math.round(a.shortfall))} conversions short.`,
            uncertainty: `The whole ${lv} interval of its rate (Wilson) is below the average.`,
          }
        : {
            evidence: `${satisfactionText(a.satisfaction, f)}; ${a.satisfaction.measure === 'csat' ? percent(a.benchmark) : f.decimal(a.benchmark, 1)} across the touchpoints surveyed with ${a.satisfaction.measure.toUpperCase()}.`,
            uncertainty: 'The whole interval is below the surveyed average.',
          }
    case 'Test':
      return {
        evidence:
          `${a.highestModel} credits it ${f.decimal(a.highest, 1)} conversions, ${a.lowestModel} ${f.decimal(a.lowest, 1)}: a spread of ${f.decimal(a.spread.value, 1)} [${f.decimal(a.spread.lower, 1)}–${f.decimal(a.spread.upper, 1)}] that attribution cannot settle. ` +
          (a.plan === undefined
            ? 'An experiment (a holdout of this touchpoint) can.'
            : `A holdout test needs ${f.count(a.plan.unitsPerArm)} journeys reaching it per arm (${f.count(a.plan.totalUnits)} in all) to detect a change of ${f.decimal(100 * Math.abs(a.plan.effect), 1)} points in their conversion rate (now ${percent(a.plan.baseline)}), at ${percent(a.plan.power, 0)} power and α = ${a.plan.alpha}; the data holds ${f.count(a.journeys)} journeys reaching it.`),
        uncertainty: `The ${lv} interval of the spread excludes 0: the models disagree beyond resampling noise.`,
      }
  }
}
