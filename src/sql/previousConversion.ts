/**
 * Each event journey's previous conversion: the conversion time (`tp_cvt`, the anchor the lookback reads) of the
 * same user's last converting journey before it, NULL when there is none. The in-process journey builder hands
 * the same value on with `afterPurchaseMs` (`previousConversion`, NaN for none), and the report's after-purchase
 * section reads it (src/report/afterPurchase.ts), so an engine's journeys give that section too.
 *
 * Conversion times need not rise with the journeys (a conversion-time column apart from the event time), so this
 * is "the last one", not the largest: a running count of converting journeys (`tp_g`, this one included) names
 * each conversion's group, the group's one conversion time is spread over it (`tp_gv`), and a journey reads the
 * group of the journey before it (`LAG`), whose count is the conversions before this journey. Window functions of
 * the SQL standard only (PostgreSQL has no `IGNORE NULLS`). ClickHouse's array form computes it per event
 * (journeysByArrays.ts).
 *
 * @internal
 * @module
 */

/**
 * The journey relation `from` (window form, with `tp_uid`, `tp_jn`, `tp_cvt`) with `columns` kept and `tp_pc`
 * added.
 *
 * @internal
 */
export const previousConversionByWindows = (from: string, columns: ReadonlyArray<string>): string => {
  const kept = columns.join(', ')
  const user = 'PARTITION BY tp_ok, tp_uid'
  const grouped = `(
SELECT ${kept}, tp_uid, tp_jn, SUM(CASE WHEN tp_c > 0 THEN 1 ELSE 0 END) OVER (${user} ORDER BY tp_jn ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS tp_g FROM ${from}
) AS tp_conversion_groups`
  const spread = `(
SELECT ${kept}, tp_uid, tp_jn, MAX(CASE WHEN tp_c > 0 THEN tp_cvt END) OVER (${user}, tp_g) AS tp_gv FROM ${grouped}
) AS tp_conversion_times`
  return `(
SELECT ${kept}, LAG(tp_gv) OVER (${user} ORDER BY tp_jn) AS tp_pc FROM ${spread}
) AS tp_journey`
}
