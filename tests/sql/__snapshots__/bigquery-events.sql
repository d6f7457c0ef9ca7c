SELECT * FROM (
SELECT `section`, `channels`,
  SUM(`conversions`) AS `conversions`,
  SUM(`value`) AS `value`,
  SUM(`nulls`) AS `nulls`,
  SUM(`rows`) AS `rows`,
  SUM(`journeys`) AS `journeys`,
  SUM(`touches`) AS `touches`,
  SUM(`first_conversions`) AS `first_conversions`,
  SUM(`first_value`) AS `first_value`,
  SUM(`last_conversions`) AS `last_conversions`,
  SUM(`last_value`) AS `last_value`,
  SUM(`last_non_direct_conversions`) AS `last_non_direct_conversions`,
  SUM(`last_non_direct_value`) AS `last_non_direct_value`,
  SUM(`linear_conversions`) AS `linear_conversions`,
  SUM(`linear_value`) AS `linear_value`,
  SUM(`position_conversions`) AS `position_conversions`,
  SUM(`position_value`) AS `position_value`,
  SUM(`time_decay_conversions`) AS `time_decay_conversions`,
  SUM(`time_decay_value`) AS `time_decay_value`
FROM (
SELECT CASE WHEN tp_ok = 0 THEN (CASE WHEN tp_e = 1 AND tp_k = 1 THEN 'invalid' END) WHEN tp_e = 1 THEN 'channel' WHEN tp_e = 2 THEN (CASE WHEN tp_k <= tp_n - 2 AND tp_c + tp_nl > 0 AND NOT (tp_a[SAFE_ORDINAL(tp_k)] = tp_a[SAFE_ORDINAL(tp_k + 1)] AND tp_a[SAFE_ORDINAL(tp_k + 1)] = tp_a[SAFE_ORDINAL(tp_k + 2)]) THEN 'edge' END) WHEN tp_e = 3 THEN (CASE WHEN tp_c + tp_nl > 0 THEN 'set' END) WHEN tp_e = 4 THEN (CASE WHEN tp_c + tp_nl > 0 THEN 'start' END) WHEN tp_e = 5 THEN (CASE WHEN tp_c + tp_nl > 0 THEN 'exit' END) END AS `section`,
  CASE WHEN tp_ok = 0 THEN '' WHEN tp_e = 1 THEN tp_x WHEN tp_e = 2 THEN tp_a[SAFE_ORDINAL(tp_k)] || '>' || tp_a[SAFE_ORDINAL(tp_k + 1)] || '>' || tp_a[SAFE_ORDINAL(tp_k + 2)] WHEN tp_e = 3 THEN tp_set WHEN tp_e = 4 THEN CASE WHEN tp_n = 1 THEN tp_a[SAFE_ORDINAL(1)] ELSE tp_a[SAFE_ORDINAL(1)] || '>' || tp_a[SAFE_ORDINAL(2)] END WHEN tp_e = 5 THEN CASE WHEN tp_n = 1 THEN tp_a[SAFE_ORDINAL(tp_n)] ELSE tp_a[SAFE_ORDINAL(tp_n - 1)] || '>' || tp_a[SAFE_ORDINAL(tp_n)] END ELSE '' END AS `channels`,
  CASE WHEN tp_ok = 1 AND (tp_e IN (2, 3, 4, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_c ELSE CAST(0 AS FLOAT64) END AS `conversions`,
  CASE WHEN tp_ok = 1 AND (tp_e IN (3, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_v ELSE CAST(0 AS FLOAT64) END AS `value`,
  CASE WHEN tp_ok = 1 AND (tp_e IN (2, 3, 4, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_nl ELSE CAST(0 AS FLOAT64) END AS `nulls`,
  CASE WHEN tp_e = 1 AND tp_k = 1 THEN tp_r ELSE CAST(0 AS FLOAT64) END AS `rows`,
  CASE WHEN tp_ok = 1 AND tp_e = 1 AND tp_k = 1 THEN tp_j ELSE CAST(0 AS FLOAT64) END AS `journeys`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CAST(1 AS FLOAT64) ELSE CAST(0 AS FLOAT64) END AS `touches`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = 1 THEN tp_c ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `first_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = 1 THEN tp_v ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `first_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_n THEN tp_c ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `last_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_n THEN tp_v ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `last_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_lnd THEN tp_c ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `last_non_direct_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_lnd THEN tp_v ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `last_non_direct_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN CAST(1 AS FLOAT64) / tp_n * tp_c ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `linear_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN CAST(1 AS FLOAT64) / tp_n * tp_v ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `linear_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN (CASE WHEN tp_n = 1 THEN CAST(1 AS FLOAT64) WHEN tp_n = 2 THEN (CASE WHEN tp_k = 1 THEN CAST(0.5 AS FLOAT64) ELSE CAST(0.5 AS FLOAT64) END) WHEN tp_k = 1 THEN CAST(0.4 AS FLOAT64) WHEN tp_k = tp_n THEN CAST(0.4 AS FLOAT64) ELSE CAST(0.2 AS FLOAT64) / (tp_n - 2) END) * tp_c ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `position_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN (CASE WHEN tp_n = 1 THEN CAST(1 AS FLOAT64) WHEN tp_n = 2 THEN (CASE WHEN tp_k = 1 THEN CAST(0.5 AS FLOAT64) ELSE CAST(0.5 AS FLOAT64) END) WHEN tp_k = 1 THEN CAST(0.4 AS FLOAT64) WHEN tp_k = tp_n THEN CAST(0.4 AS FLOAT64) ELSE CAST(0.2 AS FLOAT64) / (tp_n - 2) END) * tp_v ELSE CAST(0 AS FLOAT64) END ELSE CAST(0 AS FLOAT64) END AS `position_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN POW(2, -(tp_tl - tp_ts[SAFE_ORDINAL(tp_k)]) / CAST(604800000 AS FLOAT64)) / tp_w * tp_c ELSE CAST(0 AS FLOAT64) END AS `time_decay_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN POW(2, -(tp_tl - tp_ts[SAFE_ORDINAL(tp_k)]) / CAST(604800000 AS FLOAT64)) / tp_w * tp_v ELSE CAST(0 AS FLOAT64) END AS `time_decay_value`
FROM (
SELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, tp_lnd, tp_set, tp_a, tp_ts, tp_tl, tp_w, tp_x, tp_k, tp_e FROM (
SELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, tp_lnd, tp_set, tp_a, tp_ts, tp_tl, tp_w, tp_x, tp_k_0 + 1 AS tp_k FROM (
SELECT tp_ok,
  CAST(MAX(tp_jc) AS FLOAT64) AS tp_c,
  MAX(tp_jv) AS tp_v,
  CAST(1 - MAX(tp_jc) AS FLOAT64) AS tp_nl,
  MAX(tp_r) AS tp_r,
  CAST(1 AS FLOAT64) AS tp_j,
  COUNT(*) AS tp_n,
  COALESCE(MAX(CASE WHEN LOWER(tp_x) NOT IN ('direct') THEN tp_rk END) - MIN(tp_rk) + 1, COUNT(*)) AS tp_lnd,
  STRING_AGG(DISTINCT REPLACE(REPLACE(tp_x, '%', '%25'), '>', '%3E'), '>' ORDER BY REPLACE(REPLACE(tp_x, '%', '%25'), '>', '%3E')) AS tp_set,
  ARRAY_AGG(REPLACE(REPLACE(tp_x, '%', '%25'), '>', '%3E') ORDER BY tp_rk) AS tp_a,
  ARRAY_AGG(tp_xt ORDER BY tp_rk) AS tp_ts,
  MAX(tp_tl) AS tp_tl,
  SUM(POW(2, -(tp_tl - tp_xt) / CAST(604800000 AS FLOAT64))) AS tp_w
FROM (
SELECT tp_ok, tp_id, tp_jn, tp_rk, tp_jc, tp_jv, tp_r, CASE WHEN tp_keep = 1 THEN tp_ch ELSE '(unattributed)' END AS tp_x, CASE WHEN tp_keep = 1 THEN tp_t ELSE tp_at END AS tp_xt, CASE WHEN tp_nk = 0 THEN tp_at ELSE tp_tl END AS tp_tl FROM (
SELECT tp_ok, tp_id, tp_jn, tp_rk, tp_t, tp_ch, tp_cv, tp_jc, tp_jv, tp_at, tp_tl, tp_r, CASE WHEN tp_ch <> '' AND COALESCE(tp_at, tp_tl) - tp_t <= CAST(2592000000 AS FLOAT64) THEN 1 ELSE 0 END AS tp_keep, SUM(CASE WHEN tp_ch <> '' AND COALESCE(tp_at, tp_tl) - tp_t <= CAST(2592000000 AS FLOAT64) THEN 1 ELSE 0 END) OVER (PARTITION BY tp_ok, tp_id, tp_jn) AS tp_nk FROM (
SELECT tp_ok, tp_id, tp_jn, tp_rk, tp_t, tp_ch, tp_cv, tp_val, MAX(CASE WHEN tp_cv = 1 THEN tp_ct END) OVER (PARTITION BY tp_ok, tp_id, tp_jn) AS tp_at, MAX(tp_cv) OVER (PARTITION BY tp_ok, tp_id, tp_jn) AS tp_jc, SUM(CASE WHEN tp_cv = 1 THEN tp_val ELSE CAST(0 AS FLOAT64) END) OVER (PARTITION BY tp_ok, tp_id, tp_jn) AS tp_jv, MAX(CASE WHEN tp_ch <> '' THEN tp_t END) OVER (PARTITION BY tp_ok, tp_id, tp_jn) AS tp_tl, CAST(COUNT(*) OVER (PARTITION BY tp_ok, tp_id, tp_jn) AS FLOAT64) AS tp_r FROM (
SELECT tp_ok, tp_id, tp_t, tp_ct, tp_q, tp_ch, tp_cv, tp_val, tp_jc + COALESCE(SUM(tp_gap) OVER (PARTITION BY tp_ok, tp_id ORDER BY tp_t, tp_q, tp_cv, tp_ch, tp_val ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) + tp_gap AS tp_jn, tp_rk FROM (
SELECT tp_ok, tp_id, tp_t, tp_ct, tp_q, tp_ch, tp_cv, tp_val, COALESCE(SUM(tp_cv) OVER (PARTITION BY tp_ok, tp_id ORDER BY tp_t, tp_q, tp_cv, tp_ch, tp_val ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS tp_jc, ROW_NUMBER() OVER (PARTITION BY tp_ok, tp_id ORDER BY tp_t, tp_q, tp_cv, tp_ch, tp_val) AS tp_rk, CASE WHEN tp_t - MAX(CASE WHEN tp_ch <> '' THEN tp_t END) OVER (PARTITION BY tp_ok, tp_id ORDER BY tp_t, tp_q, tp_cv, tp_ch, tp_val ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) > CAST(2592000000 AS FLOAT64) THEN 1 ELSE 0 END AS tp_gap FROM (
SELECT CASE WHEN tp_id IS NOT NULL AND tp_id <> '' AND tp_t IS NOT NULL AND tp_cv IS NOT NULL AND (tp_ch <> '' OR tp_cv = 1) AND tp_val >= 0 AND (tp_cv = 0 OR tp_ct >= tp_t) THEN 1 ELSE 0 END AS tp_ok, CASE WHEN tp_id IS NOT NULL AND tp_id <> '' AND tp_t IS NOT NULL AND tp_cv IS NOT NULL AND (tp_ch <> '' OR tp_cv = 1) AND tp_val >= 0 AND (tp_cv = 0 OR tp_ct >= tp_t) THEN tp_id ELSE '' END AS tp_id, tp_t, tp_ct, tp_q, tp_ch, tp_cv, tp_val FROM (SELECT TRIM(CAST(tp_src.`user_pseudo_id` AS STRING), '\t\n\x0b\x0c\r                  　﻿') AS tp_id, CAST(tp_src.`event_timestamp` AS FLOAT64) / CAST(1000 AS FLOAT64) AS tp_t, CAST(tp_src.`event_timestamp` AS FLOAT64) / CAST(1000 AS FLOAT64) AS tp_ct, CAST(0 AS FLOAT64) AS tp_q, COALESCE(TRIM(CAST(tp_src.`source` AS STRING), '\t\n\x0b\x0c\r                  　﻿'), '') AS tp_ch, CASE WHEN TRIM(CAST(tp_src.`event_name` AS STRING), '\t\n\x0b\x0c\r                  　﻿') IN ('purchase') THEN 1 ELSE 0 END AS tp_cv, COALESCE(CAST(tp_src.`value` AS FLOAT64), CAST(0 AS FLOAT64)) AS tp_val FROM `analytics.events` AS tp_src) AS tp_norm
) AS tp_event
) AS tp_gaps
) AS tp_numbered
) AS tp_anchored
) AS tp_counted WHERE tp_ok = 0 OR tp_keep = 1 OR (tp_cv = 1 AND tp_nk = 0)
) AS tp_touch GROUP BY tp_ok, tp_id, tp_jn
) AS tp_journey CROSS JOIN UNNEST(tp_a) AS tp_x WITH OFFSET AS tp_k_0
) AS tp_t CROSS JOIN UNNEST(IF(tp_k = 1, [1, 2, 3, 4, 5], [1, 2])) AS tp_e
) AS tp_f
) AS tp_emit WHERE `section` IS NOT NULL GROUP BY `section`, `channels`
UNION ALL
SELECT 'settings' AS `section`, '{"format":1,"input":"events","models":["first","last","last_non_direct","linear","position","time_decay","participation","markov","shapley","shapley_rate"],"order":2,"position":{"first":0.4,"middle":0.2,"last":0.4},"halfLifeMs":604800000,"direct":["direct"],"lookbackMs":2592000000}' AS `channels`, CAST(0 AS FLOAT64) AS `conversions`, CAST(0 AS FLOAT64) AS `value`, CAST(0 AS FLOAT64) AS `nulls`, CAST(0 AS FLOAT64) AS `rows`, CAST(0 AS FLOAT64) AS `journeys`, CAST(0 AS FLOAT64) AS `touches`, CAST(0 AS FLOAT64) AS `first_conversions`, CAST(0 AS FLOAT64) AS `first_value`, CAST(0 AS FLOAT64) AS `last_conversions`, CAST(0 AS FLOAT64) AS `last_value`, CAST(0 AS FLOAT64) AS `last_non_direct_conversions`, CAST(0 AS FLOAT64) AS `last_non_direct_value`, CAST(0 AS FLOAT64) AS `linear_conversions`, CAST(0 AS FLOAT64) AS `linear_value`, CAST(0 AS FLOAT64) AS `position_conversions`, CAST(0 AS FLOAT64) AS `position_value`, CAST(0 AS FLOAT64) AS `time_decay_conversions`, CAST(0 AS FLOAT64) AS `time_decay_value`
) AS tp_result ORDER BY `section`, `channels`
