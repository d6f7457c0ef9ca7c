/**
 * Multi-touch attribution over customer paths: rule-based and data-driven models, mergeable partial results.
 * (Being built under issue 4.)
 *
 * @module
 */
export {}
