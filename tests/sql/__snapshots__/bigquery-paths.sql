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
  CAST(0 AS FLOAT64) AS `time_decay_conversions`,
  CAST(0 AS FLOAT64) AS `time_decay_value`
FROM (
SELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, tp_lnd, tp_set, tp_a, tp_x, tp_k, tp_e FROM (
SELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, tp_lnd, tp_set, tp_a, tp_x, tp_k_0 + 1 AS tp_k FROM (
SELECT CASE WHEN tp_valid = 1 AND MIN(CASE WHEN tp_x = '' THEN 0 ELSE 1 END) = 1 THEN 1 ELSE 0 END AS tp_ok,
  tp_c, tp_v, tp_nl, tp_r, tp_r AS tp_j,
  COUNT(*) AS tp_n,
  COALESCE(MAX(CASE WHEN LOWER(tp_x) NOT IN ('direct') THEN tp_k END), COUNT(*)) AS tp_lnd,
  STRING_AGG(DISTINCT REPLACE(REPLACE(tp_x, '%', '%25'), '>', '%3E'), '>' ORDER BY REPLACE(REPLACE(tp_x, '%', '%25'), '>', '%3E')) AS tp_set,
  ARRAY_AGG(REPLACE(REPLACE(tp_x, '%', '%25'), '>', '%3E') ORDER BY tp_k) AS tp_a
FROM (
SELECT tp_valid, tp_p, tp_c, tp_v, tp_nl, tp_r, tp_k, TRIM(tp_x, '\t\n\x0b\x0c\r                  　﻿') AS tp_x FROM (
SELECT tp_valid, tp_p, tp_c, tp_v, tp_nl, tp_r, tp_x, tp_k_0 + 1 AS tp_k FROM (
SELECT tp_valid, tp_p, tp_c, tp_v, tp_nl, tp_r, SPLIT(tp_p, ' > ') AS tp_a FROM (
SELECT tp_valid, tp_key AS tp_p, SUM(tp_c) AS tp_c, SUM(tp_v) AS tp_v, SUM(tp_nl) AS tp_nl, CAST(COUNT(*) AS FLOAT64) AS tp_r FROM (
SELECT CASE WHEN tp_p IS NOT NULL AND TRIM(tp_p, '\t\n\x0b\x0c\r                  　﻿') <> '' AND tp_c IS NOT NULL AND tp_c >= 0 AND tp_v >= 0 AND tp_nl >= 0 AND (tp_c > 0 OR tp_v = 0) THEN 1 ELSE 0 END AS tp_valid, COALESCE(CASE WHEN tp_p IS NOT NULL AND TRIM(tp_p, '\t\n\x0b\x0c\r                  　﻿') <> '' AND tp_c IS NOT NULL AND tp_c >= 0 AND tp_v >= 0 AND tp_nl >= 0 AND (tp_c > 0 OR tp_v = 0) THEN tp_p ELSE '-' END, '-') AS tp_key, tp_c, tp_v, tp_nl FROM (
SELECT CAST(tp_src.`path` AS STRING) AS tp_p, CAST(tp_src.`total_conversions` AS FLOAT64) AS tp_c, COALESCE(CAST(tp_src.`total_conversion_value` AS FLOAT64), CAST(0 AS FLOAT64)) AS tp_v, COALESCE(CAST(tp_src.`total_null` AS FLOAT64), CAST(0 AS FLOAT64)) AS tp_nl FROM `analytics.paths` AS tp_src
) AS tp_norm
) AS tp_checked GROUP BY tp_valid, tp_key
) AS tp_grouped
) AS tp_split CROSS JOIN UNNEST(tp_a) AS tp_x WITH OFFSET AS tp_k_0
) AS tp_exploded
) AS tp_touch GROUP BY tp_valid, tp_p, tp_c, tp_v, tp_nl, tp_r
) AS tp_journey CROSS JOIN UNNEST(tp_a) AS tp_x WITH OFFSET AS tp_k_0
) AS tp_t CROSS JOIN UNNEST(IF(tp_k = 1, [1, 2, 3, 4, 5], [1, 2])) AS tp_e
) AS tp_f
) AS tp_emit WHERE `section` IS NOT NULL GROUP BY `section`, `channels`
UNION ALL
SELECT 'settings' AS `section`, '{"format":1,"input":"paths","models":["first","last","last_non_direct","linear","position","participation","markov","shapley","shapley_rate"],"order":2,"position":{"first":0.4,"middle":0.2,"last":0.4},"halfLifeMs":604800000,"direct":["direct"]}' AS `channels`, CAST(0 AS FLOAT64) AS `conversions`, CAST(0 AS FLOAT64) AS `value`, CAST(0 AS FLOAT64) AS `nulls`, CAST(0 AS FLOAT64) AS `rows`, CAST(0 AS FLOAT64) AS `journeys`, CAST(0 AS FLOAT64) AS `touches`, CAST(0 AS FLOAT64) AS `first_conversions`, CAST(0 AS FLOAT64) AS `first_value`, CAST(0 AS FLOAT64) AS `last_conversions`, CAST(0 AS FLOAT64) AS `last_value`, CAST(0 AS FLOAT64) AS `last_non_direct_conversions`, CAST(0 AS FLOAT64) AS `last_non_direct_value`, CAST(0 AS FLOAT64) AS `linear_conversions`, CAST(0 AS FLOAT64) AS `linear_value`, CAST(0 AS FLOAT64) AS `position_conversions`, CAST(0 AS FLOAT64) AS `position_value`, CAST(0 AS FLOAT64) AS `time_decay_conversions`, CAST(0 AS FLOAT64) AS `time_decay_value`
) AS tp_result ORDER BY `section`, `channels`
