/**
 * OpenFeature providers over touchpoint's assignment: `TouchpointProvider` for `@openfeature/server-sdk`,
 * `TouchpointWebProvider` for `@openfeature/web-sdk` (optional peer dependencies: install the one you use). Only
 * the SDKs' types are imported, so this entry loads without either.
 *
 * @module
 */
export { TouchpointProvider } from './server'
export { TouchpointWebProvider } from './web'
export { type ProviderConfig, type ProviderOptions, type TrackedEvent } from './core'
export { type FlagType } from './evaluate'
