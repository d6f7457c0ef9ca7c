/**
 * Online or offline, as the map marks a touchpoint: read from the words of its name, as default stages are. A
 * name with no word known either way gets no mark rather than a guess (sales, support, checkout, a partner's name).
 *
 * @module
 * @internal
 */

/** @internal Words that make a channel offline; checked first, so `tv_search_ads` is offline. */
export const OFFLINE_WORDS: ReadonlyArray<string> = ['store', 'shop', 'pos', 'outdoor', 'tv', 'radio', 'print', 'billboard', 'event', 'events', 'fair', 'call', 'phone', 'catalog', 'catalogue', 'branch', 'kiosk', 'retail', 'offline']

/** @internal Words that make a channel online. */
export const ONLINE_WORDS: ReadonlyArray<string> = [
  'display', 'social', 'video', 'podcast', 'influencer', 'banner', 'programmatic', 'search', 'sem', 'seo', 'reviews', 'review', 'blog', 'comparison', 'affiliate',
  'referral', 'content', 'webinar', 'website', 'web', 'chat', 'retargeting', 'direct', 'cart', 'email', 'newsletter', 'sms', 'push', 'app', 'online',
]

const OFFLINE = new Set(OFFLINE_WORDS)
const ONLINE = new Set(ONLINE_WORDS)

/** @internal `online`, `offline`, or undefined when the name says neither. */
export const mediumOf = (channel: string): 'online' | 'offline' | undefined => {
  if (typeof channel !== 'string') return undefined
  const words = channel.toLowerCase().split(/[^\p{L}\p{N}]+/u)
  if (words.some((w) => OFFLINE.has(w))) return 'offline'
  if (words.some((w) => ONLINE.has(w))) return 'online'
  return undefined
}
