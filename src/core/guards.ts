/**
 * What a value is taken for when a plain-JavaScript caller passes something the types rule out: guards for the
 * boundary of exports that have no error channel (total functions over trusted values).
 *
 * @module
 */

/** @internal An object (arrays included): the least a value must be to have fields. */
export const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => u !== null && typeof u === 'object'

