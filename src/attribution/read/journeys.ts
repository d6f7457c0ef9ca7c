/**
 * Reading, stage 4 (decoded event rows → **journeys**): a state machine fed one event at a time, in file order,
 * that hands each finished journey to a sink. The rules (docs/attribution.md, "Events: the exact rules"):
 *
 * - Per user, events come in time order (ties keep file order); an event earlier than the same user's previous
 *   one is an error on its line.
 * - A conversion at time T closes the user's journey (a touch on the conversion's own row belongs to it) and
 *   credits the touches τ with `0 <= T − τ <= L` (L the lookback); one left with no touch goes to
 *   `(unattributed)`. The next touch opens a new journey.
 * - A journey with no conversion ends, as a non-converting journey of its touches within L of its last touch,
 *   when the user's next event comes more than L after that last touch (it can no longer convert), or at the end
 *   of the input.
 *
 * Memory. State lives in typed arrays: per open user a slot (its id, last event time, a list of pending touches
 * in a pool), found from the id's characters in place (no string per event, no `Map`: its entries cost more and
 * were the slowest part of reading time-ordered events), per pending touch 16 bytes; a touch more than L before the
 * user's latest is dropped at once (no window can reach it again). Order `any`: users are held until nothing can change their journeys; when the input is
 * in time order (give or take `slackMs`), users whose last event is more than L + slack behind the latest time
 * seen are closed and dropped, so memory follows the users active within the lookback window, not every user
 * seen. An event that could have belonged to a dropped user (one not held, not later than the latest dropped
 * user's last event + L) is refused with the fix: sort the input. Order `grouped`: one user at a time, and a
 * 64-bit fingerprint per user seen (about 40 bytes with its line), so a user seen again after another is an error
 * naming both lines.
 *
 * After the purchase (`afterPurchaseMs` set, for the report): each user's last conversion time is kept (8 bytes a
 * user) and handed on with every later journey (`previousConversion`), so the reducer can tell a journey that began
 * within the window after a purchase. A user is then held until the lookback and the window have both ended.
 *
 * @module
 */
import { beforePrevious, conversionBeforeRow, notInTimeOrder, usersInterleaved } from './journeyErrors'
import { type JourneyCore, type JourneyCoreOptions, type JourneySink, UNATTRIBUTED_CHANNEL } from './journeyModel'
import { seenUsers } from './seenUsers'
export { type JourneyCore, type JourneyCoreOptions, type JourneySink, UNATTRIBUTED_CHANNEL } from './journeyModel'
/** @internal */
export { NOT_IN_TIME_ORDER, USER_OUT_OF_ORDER } from './journeyModel'

/**
 * A new journey builder handing journeys to `sink`.
 *
 * @example
 * const got: Array<string> = []
 * const b = journeyCore({ order: 'any', timeColumn: 'timestamp', userColumn: 'user_id' }, (ch, t, n, c) => got.push(`${ch.slice(0, n)}:${c}`))
 * b.push('u', 0, 1, 0, 0, false, NaN, 0, 2, 0) // user 'u' (text[0, 1)) at t = 0 on channel 0, line 2
 * b.push('u', 0, 1, 10, 1, true, NaN, 5, 3, 0) // on channel 1, converting (value 5): the journey closes
 * got // => ['0,1:1']
 *
 * @category reading
 * @since 0.2.0
 */
export const journeyCore = (options: JourneyCoreOptions, sink: JourneySink): JourneyCore => {
  const lookback = options.lookbackMs ?? Number.POSITIVE_INFINITY
  const slack = options.slackMs ?? 86_400_000
  const grouped = options.order === 'grouped'
  const where = options.where ?? ((_: number, line: number) => `line ${line}`)
  const passEvery = options.passEvery ?? 65_536
  const afterPurchase = options.afterPurchaseMs

  // Users: a slot per open user (its id, hash, last event time, pending touches), found through an open-addressing
  // table of slot + 1 by the id's hash; deletion shifts later entries back, so there are no tombstones.
  let capacity = 1024
  // Ids live in a pool of code units, not as strings: a million held users would be a million small objects for
  // the collector (and three million made over a read). One byte a character until an id needs more (then two).
  // Freed ids leave holes, reclaimed when the pool fills.
  let keyAt = new Int32Array(capacity).fill(-1)
  let keyLength = new Int32Array(capacity)
  let chars: Uint8Array | Uint16Array = new Uint8Array(16_384)
  let charsUsed = 0
  let charsLive = 0
  let slotHash = new Int32Array(capacity)
  let lastEvent = new Float64Array(capacity)
  // The user's last conversion (NaN: none), kept only with `afterPurchaseMs`.
  let lastConversion = new Float64Array(afterPurchase === undefined ? 0 : capacity)
  let head = new Int32Array(capacity)
  let tail = new Int32Array(capacity)
  const freeSlots: Array<number> = []
  let nextSlot = 0
  let held = 0
  let table = new Int32Array(2048)
  let mask = table.length - 1
  const hashAt = (text: string, s: number, e: number): number => {
    let h = 0x811c9dc5 ^ (e - s)
    for (let i = s; i < e; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
    h ^= h >>> 15
    h = Math.imul(h, 0x2c1b3c6d)
    return h ^ (h >>> 12)
  }
  /** The slot of the user `text[s, e)` with hash `h`, or -1. */
  const findUser = (text: string, s: number, e: number, h: number): number => {
    const length = e - s
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const entry = table[i]!
      if (entry === 0) return -1
      const slot = entry - 1
      if (slotHash[slot] === h && keyLength[slot] === length) {
        const at = keyAt[slot]!
        let k = 0
        while (k < length && chars[at + k] === text.charCodeAt(s + k)) k++
        if (k === length) return slot
      }
    }
  }
  const placeUser = (slot: number, h: number) => {
    let i = h & mask
    while (table[i] !== 0) i = (i + 1) & mask
    table[i] = slot + 1
  }
  const removeUser = (slot: number) => {
    let i = slotHash[slot]! & mask
    while (table[i] !== slot + 1) i = (i + 1) & mask
    // Backward-shift deletion: move later entries of the run into the hole when their home allows it.
    let hole = i
    for (let j = (i + 1) & mask; table[j] !== 0; j = (j + 1) & mask) {
      const home = slotHash[table[j]! - 1]! & mask
      if ((j > hole && (home <= hole || home > j)) || (j < hole && home <= hole && home > j)) {
        table[hole] = table[j]!
        hole = j
      }
    }
    table[hole] = 0
  }
  const growTable = () => {
    table = new Int32Array(table.length * 2)
    mask = table.length - 1
    for (let s = 0; s < nextSlot; s++) if (keyAt[s]! >= 0) placeUser(s, slotHash[s]!)
  }
  // Pending touches: a pool of linked cells.
  let touchCapacity = 4096
  let touchChannel = new Int32Array(touchCapacity)
  let touchTime = new Float64Array(touchCapacity)
  let touchNext = new Int32Array(touchCapacity)
  let freeTouch = -1
  let nextTouch = 0
  // Scratch arrays handed to the sink, one per length (a journey's arrays must be exactly its length).
  const idsByLength: Array<Array<number> | undefined> = []
  const timesByLength: Array<Array<number> | undefined> = []

  // Order `any`: the latest time seen, whether the input is in time order so far, the bound below which an
  // event may belong to a user already dropped, and when users were last looked over.
  let watermark = Number.NEGATIVE_INFINITY
  let ordered = true
  let floor = Number.NEGATIVE_INFINITY
  let floorLine = 0
  let floorSource = 0
  let sincePass = 0
  let peak = 0
  // Order `grouped`: the current user and every user seen.
  let current: string | undefined
  let currentSlot = -1
  const seen = grouped ? seenUsers() : undefined

  /** Room for `n` more characters: the live ids moved to the front, in a pool half again their size when short. */
  const makeRoom = (n: number, wide: boolean) => {
    const widen = wide && chars instanceof Uint8Array
    if (charsUsed + n <= chars.length && !widen) return
    const size = Math.max(16_384, Math.ceil(1.5 * (charsLive + n)))
    const next = widen || chars instanceof Uint16Array ? new Uint16Array(size) : new Uint8Array(size)
    let used = 0
    for (let slot = 0; slot < nextSlot; slot++) {
      const at = keyAt[slot]!
      if (at < 0) continue
      next.set(chars.subarray(at, at + keyLength[slot]!), used)
      keyAt[slot] = used
      used += keyLength[slot]!
    }
    chars = next
    charsUsed = used
  }

  /** A slot for a new user, its id copied into the pool. */
  const newSlot = (text: string, start: number, end: number, h: number): number => {
    const s = freeSlots.length > 0 ? freeSlots.pop()! : nextSlot++
    if (s >= capacity) {
      // Grown by half: a doubling holds the old and the new arrays at once, three times what is used.
      capacity = Math.ceil(capacity * 1.5)
      const hs = new Int32Array(capacity)
      hs.set(slotHash)
      slotHash = hs
      const f = new Float64Array(capacity)
      f.set(lastEvent)
      lastEvent = f
      if (afterPurchase !== undefined) {
        const lc = new Float64Array(capacity)
        lc.set(lastConversion)
        lastConversion = lc
      }
      const hd = new Int32Array(capacity)
      hd.set(head)
      head = hd
      const t = new Int32Array(capacity)
      t.set(tail)
      tail = t
      const ka = new Int32Array(capacity).fill(-1)
      ka.set(keyAt)
      keyAt = ka
      const kl = new Int32Array(capacity)
      kl.set(keyLength)
      keyLength = kl
    }
    const length = end - start
    let wide = false
    for (let k = start; k < end; k++) if (text.charCodeAt(k) > 0xff) wide = true
    makeRoom(length, wide)
    for (let k = 0; k < length; k++) chars[charsUsed + k] = text.charCodeAt(start + k)
    keyAt[s] = charsUsed
    keyLength[s] = length
    charsUsed += length
    charsLive += length
    slotHash[s] = h
    lastEvent[s] = Number.NEGATIVE_INFINITY
    if (afterPurchase !== undefined) lastConversion[s] = Number.NaN
    head[s] = -1
    tail[s] = -1
    held++
    // Kept at most 70% full: linear probing stays short, and the table costs under 6 bytes per user.
    if (held * 10 > table.length * 7) growTable()
    placeUser(s, h)
    if (held > peak) peak = held
    return s
  }

  const newTouch = (channel: number, time: number): number => {
    let k: number
    if (freeTouch >= 0) {
      k = freeTouch
      freeTouch = touchNext[k]!
    } else {
      k = nextTouch++
      if (k >= touchCapacity) {
        touchCapacity = Math.ceil(touchCapacity * 1.5)
        const c = new Int32Array(touchCapacity)
        c.set(touchChannel)
        touchChannel = c
        const t = new Float64Array(touchCapacity)
        t.set(touchTime)
        touchTime = t
        const n = new Int32Array(touchCapacity)
        n.set(touchNext)
        touchNext = n
      }
    }
    touchChannel[k] = channel
    touchTime[k] = time
    touchNext[k] = -1
    return k
  }

  /** Frees the touches of a slot from `from` to the end of its list. */
  const freeList = (from: number) => {
    let k = from
    while (k >= 0) {
      const next = touchNext[k]!
      touchNext[k] = freeTouch
      freeTouch = k
      k = next
    }
  }

  const scratch = (n: number): readonly [Array<number>, Array<number>] => [
    idsByLength[n] ?? (idsByLength[n] = new Array<number>(n).fill(0)),
    timesByLength[n] ?? (timesByLength[n] = new Array<number>(n).fill(0)),
  ]

  /** The slot's pending touches within L of `anchor`, handed to the sink; the list is emptied. */
  const emit = (s: number, anchor: number, conversions: number, value: number, nulls: number, conversionTime: number | undefined) => {
    const previous = afterPurchase === undefined ? undefined : lastConversion[s]!
    let first = head[s]!
    // Touches are in time order: those outside the window are a prefix.
    while (first >= 0 && anchor - touchTime[first]! > lookback) first = touchNext[first]!
    let n = 0
    for (let k = first; k >= 0; k = touchNext[k]!) n++
    if (n === 0) {
      if (conversions > 0) {
        const [ids, times] = scratch(1)
        ids[0] = UNATTRIBUTED_CHANNEL
        times[0] = anchor
        sink(ids, times, 1, conversions, value, nulls, conversionTime, previous)
      }
    } else {
      const [ids, times] = scratch(n)
      let i = 0
      for (let k = first; k >= 0; k = touchNext[k]!) {
        ids[i] = touchChannel[k]!
        times[i] = touchTime[k]!
        i++
      }
      sink(ids, times, n, conversions, value, nulls, conversionTime, previous)
    }
    freeList(head[s]!)
    head[s] = -1
    tail[s] = -1
    if (afterPurchase !== undefined && conversions > 0) lastConversion[s] = anchor
  }

  /** A non-converting journey from the slot's pending touches, anchored at its last touch. */
  const closeTail = (s: number) => {
    if (head[s]! >= 0) emit(s, touchTime[tail[s]!]!, 0, 0, 1, undefined)
  }

  const dropSlot = (s: number) => {
    closeTail(s)
    removeUser(s)
    keyAt[s] = -1
    charsLive -= keyLength[s]!
    held--
    freeSlots.push(s)
  }

  /** Order `any`, time-ordered input: closes and drops users that nothing can change any more. */
  const expire = () => {
    sincePass = 0
    if (!ordered || lookback === Number.POSITIVE_INFINITY) return
    const cutoff = watermark - lookback - slack
    for (let s = 0; s < nextSlot; s++) {
      const last = lastEvent[s]!
      if (last >= cutoff || keyAt[s]! < 0) continue
      // A purchase still within its window keeps the user (a later touch may follow it).
      const purchase = afterPurchase === undefined ? Number.NaN : lastConversion[s]!
      if (purchase + afterPurchase! >= watermark - slack) continue
      if (last + lookback > floor) floor = last + lookback
      if (purchase + afterPurchase! > floor) floor = purchase + afterPurchase!
      dropSlot(s)
    }
  }

  const push: JourneyCore['push'] = (user, userStart, userEnd, time, channel, conversion, conversionTime, value, line, source) => {
    if (conversion && conversionTime < time) return conversionBeforeRow(options.timeColumn, time, conversionTime, line)
    let s: number
    if (grouped) {
      const length = userEnd - userStart
      if (current === undefined || current.length !== length || !user.startsWith(current, userStart)) {
        const id = user.slice(userStart, userEnd)
        const before = seen!.visit(id, line, source)
        if (before !== undefined) return usersInterleaved(options.userColumn, where(before.source, before.line), id, line)
        if (currentSlot >= 0) dropSlot(currentSlot)
        currentSlot = newSlot(user, userStart, userEnd, hashAt(user, userStart, userEnd))
        current = id
      }
      s = currentSlot
    } else {
      const h = hashAt(user, userStart, userEnd)
      s = findUser(user, userStart, userEnd, h)
      if (s < 0) {
        if (time <= floor) return notInTimeOrder(options.timeColumn, floor, where(floorSource, floorLine), user.slice(userStart, userEnd), time, line)
      } else if (time < lastEvent[s]!) return beforePrevious(options.timeColumn, lastEvent[s]!, time, line)
      if (time < watermark - slack) ordered = false
      if (s < 0) s = newSlot(user, userStart, userEnd, h)
    }
    if (grouped && time < lastEvent[s]!) return beforePrevious(options.timeColumn, lastEvent[s]!, time, line)
    if (time > watermark) {
      watermark = time
      floorLine = line
      floorSource = source
    }
    // The gap rule: a journey whose last touch is more than L back can no longer convert.
    const last = tail[s]!
    if (last >= 0 && time - touchTime[last]! > lookback) closeTail(s)
    if (channel >= 0) {
      const k = newTouch(channel, time)
      if (tail[s]! >= 0) touchNext[tail[s]!] = k
      else head[s] = k
      tail[s] = k
      // Touches more than L before this one are outside every window to come.
      while (time - touchTime[head[s]!]! > lookback) {
        const h = head[s]!
        head[s] = touchNext[h]!
        touchNext[h] = freeTouch
        freeTouch = h
      }
    }
    if (conversion) emit(s, Number.isNaN(conversionTime) ? time : conversionTime, 1, value, 0, Number.isNaN(conversionTime) ? time : conversionTime)
    lastEvent[s] = time
    // Looked over after events as many as a sixteenth of the users held: users wait at most that long to be dropped
    // (about a day of a three-month export), and a look costs a scan of typed arrays.
    if (!grouped && ++sincePass >= passEvery && sincePass * 16 >= held) expire()
    return undefined
  }

  const end = () => {
    for (let s = 0; s < nextSlot; s++) if (keyAt[s]! >= 0) dropSlot(s)
    currentSlot = -1
    current = undefined
  }

  return { push, end, openUsers: () => held, peakOpenUsers: () => peak, timeOrdered: () => ordered }
}
