export declare function hash(seed: string, value: string, version: number): number | null
export declare function chooseVariation(n: number, ranges: ReadonlyArray<readonly [number, number]>): number
export declare function getBucketRanges(numVariations: number, coverage: number, weights?: ReadonlyArray<number>): Array<[number, number]>
export declare function inNamespace(hashValue: string, namespace: readonly [string, number, number]): boolean
