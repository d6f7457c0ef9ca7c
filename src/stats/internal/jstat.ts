/**
 * The only door to jstat (an untyped 52 KB UMD bundle): the functions it computes accurately, and the ones the
 * benchmarks compare us against. See the reference notes: jstat's normal tails, normal.inv, studentt at large df
 * and beta at large a + b are not accurate enough for p-values, so those are ours (./normal, ./beta, ...).
 *
 * @internal
 * @module
 */
/// <reference path="./vendor.d.ts" />
import jStat from 'jstat'

/**
 * log Γ(x) for x > 0 (Lanczos); ≤ 1e-13 relative in the range we call it (x < 10, see ./gamma).
 * @internal
 */
export const jstatGammaln: (x: number) => number = (x) => jStat.gammaln(x)

/**
 * log B(a, b); used only by the benchmark's jstat-based P(B > A).
 * @internal
 */
export const jstatBetaln: (a: number, b: number) => number = (a, b) => jStat.betaln(a, b)

/** @internal Peers for the benchmarks and the accuracy notes (not used by the engine). */
export const jstatPeers = {
  normalCdf: (x: number): number => jStat.normal.cdf(x, 0, 1),
  normalInv: (p: number): number => jStat.normal.inv(p, 0, 1),
  studentTCdf: (x: number, df: number): number => jStat.studentt.cdf(x, df),
  chiSquareCdf: (x: number, df: number): number => jStat.chisquare.cdf(x, df),
  betaCdf: (x: number, a: number, b: number): number => jStat.beta.cdf(x, a, b),
  betaInv: (p: number, a: number, b: number): number => jStat.beta.inv(p, a, b),
} as const
