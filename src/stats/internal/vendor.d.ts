// Ambient declarations for the two untyped modules the statistics engine loads. Only ./jstat.ts and ./random.ts
// import them (they reference this file so tsup's declaration build sees it too).

declare module 'jstat' {
  interface JStatStatic {
    gammaln(x: number): number
    betaln(a: number, b: number): number
    ibeta(x: number, a: number, b: number): number
    normal: { cdf(x: number, mean: number, sd: number): number; inv(p: number, mean: number, sd: number): number }
    studentt: { cdf(x: number, df: number): number; inv(p: number, df: number): number }
    chisquare: { cdf(x: number, df: number): number }
    beta: { cdf(x: number, a: number, b: number): number; inv(p: number, a: number, b: number): number; sample(a: number, b: number): number }
    setRandom(fn: () => number): void
  }
  const jStat: JStatStatic
  export default jStat
}

declare module 'seedrandom/lib/alea.js' {
  interface AleaPrng {
    (): number
    double(): number
    int32(): number
  }
  const alea: (seed: string) => AleaPrng
  export default alea
}
