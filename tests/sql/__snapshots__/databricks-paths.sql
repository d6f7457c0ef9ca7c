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
SELECT CASE WHEN tp_ok = 0 THEN (CASE WHEN tp_e = 1 AND tp_k = 1 THEN 'invalid' END) WHEN tp_e = 1 THEN 'channel' WHEN tp_e = 2 THEN (CASE WHEN tp_k <= tp_n - 2 AND tp_c + tp_nl > 0 AND NOT (try_element_at(tp_a, tp_k) = try_element_at(tp_a, tp_k + 1) AND try_element_at(tp_a, tp_k + 1) = try_element_at(tp_a, tp_k + 2)) THEN 'edge' END) WHEN tp_e = 3 THEN (CASE WHEN tp_c + tp_nl > 0 THEN 'set' END) WHEN tp_e = 4 THEN (CASE WHEN tp_c + tp_nl > 0 THEN 'start' END) WHEN tp_e = 5 THEN (CASE WHEN tp_c + tp_nl > 0 THEN 'exit' END) END AS `section`,
  CASE WHEN tp_ok = 0 THEN '' WHEN tp_e = 1 THEN tp_x WHEN tp_e = 2 THEN concat(try_element_at(tp_a, tp_k), '>', try_element_at(tp_a, tp_k + 1), '>', try_element_at(tp_a, tp_k + 2)) WHEN tp_e = 3 THEN tp_set WHEN tp_e = 4 THEN CASE WHEN tp_n = 1 THEN concat(try_element_at(tp_a, 1)) ELSE concat(try_element_at(tp_a, 1), '>', try_element_at(tp_a, 2)) END WHEN tp_e = 5 THEN CASE WHEN tp_n = 1 THEN concat(try_element_at(tp_a, tp_n)) ELSE concat(try_element_at(tp_a, tp_n - 1), '>', try_element_at(tp_a, tp_n)) END ELSE '' END AS `channels`,
  CASE WHEN tp_ok = 1 AND (tp_e IN (2, 3, 4, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_c ELSE CAST(0 AS DOUBLE) END AS `conversions`,
  CASE WHEN tp_ok = 1 AND (tp_e IN (3, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_v ELSE CAST(0 AS DOUBLE) END AS `value`,
  CASE WHEN tp_ok = 1 AND (tp_e IN (2, 3, 4, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_nl ELSE CAST(0 AS DOUBLE) END AS `nulls`,
  CASE WHEN tp_e = 1 AND tp_k = 1 THEN tp_r ELSE CAST(0 AS DOUBLE) END AS `rows`,
  CASE WHEN tp_ok = 1 AND tp_e = 1 AND tp_k = 1 THEN tp_j ELSE CAST(0 AS DOUBLE) END AS `journeys`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS `touches`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = 1 THEN tp_c ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `first_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = 1 THEN tp_v ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `first_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_n THEN tp_c ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `last_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_n THEN tp_v ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `last_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_lnd THEN tp_c ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `last_non_direct_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_lnd THEN tp_v ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `last_non_direct_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN CAST(1 AS DOUBLE) / tp_n * tp_c ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `linear_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN CAST(1 AS DOUBLE) / tp_n * tp_v ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `linear_value`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN (CASE WHEN tp_n = 1 THEN CAST(1 AS DOUBLE) WHEN tp_n = 2 THEN (CASE WHEN tp_k = 1 THEN CAST(0.5 AS DOUBLE) ELSE CAST(0.5 AS DOUBLE) END) WHEN tp_k = 1 THEN CAST(0.4 AS DOUBLE) WHEN tp_k = tp_n THEN CAST(0.4 AS DOUBLE) ELSE CAST(0.2 AS DOUBLE) / (tp_n - 2) END) * tp_c ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `position_conversions`,
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN (CASE WHEN tp_n = 1 THEN CAST(1 AS DOUBLE) WHEN tp_n = 2 THEN (CASE WHEN tp_k = 1 THEN CAST(0.5 AS DOUBLE) ELSE CAST(0.5 AS DOUBLE) END) WHEN tp_k = 1 THEN CAST(0.4 AS DOUBLE) WHEN tp_k = tp_n THEN CAST(0.4 AS DOUBLE) ELSE CAST(0.2 AS DOUBLE) / (tp_n - 2) END) * tp_v ELSE CAST(0 AS DOUBLE) END ELSE CAST(0 AS DOUBLE) END AS `position_value`,
  CAST(0 AS DOUBLE) AS `time_decay_conversions`,
  CAST(0 AS DOUBLE) AS `time_decay_value`
FROM (
SELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, tp_lnd, tp_set, tp_a, tp_x, tp_k, tp_e FROM (
SELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, tp_lnd, tp_set, tp_a, tp_x, tp_k_0 + 1 AS tp_k FROM (
SELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, CASE WHEN tp_last_non_direct = 0 THEN tp_n ELSE tp_last_non_direct END AS tp_lnd, tp_set, tp_a FROM (
SELECT CASE WHEN tp_valid = 1 AND NOT exists(tp_a, tp_l -> tp_l = '') THEN 1 ELSE 0 END AS tp_ok,
  tp_c, tp_v, tp_nl,
  CAST(1 AS DOUBLE) AS tp_r, CAST(1 AS DOUBLE) AS tp_j,
  size(tp_a) AS tp_n,
  CASE WHEN exists(tp_a, tp_l -> lower(tp_l) NOT IN ('direct')) THEN size(tp_a) + 1 - array_position(reverse(transform(tp_a, tp_l -> lower(tp_l) NOT IN ('direct'))), true) ELSE 0 END AS tp_last_non_direct,
  array_join(array_sort(array_distinct(tp_a)), '>') AS tp_set,
  tp_a
FROM (
SELECT tp_valid, tp_c, tp_v, tp_nl, transform(split(tp_p, '\\Q > \\E', -1), tp_l -> replace(replace(trim(BOTH '\t\n\u000b\u000c\r                  　﻿' FROM tp_l), '%', '%25'), '>', '%3E')) AS tp_a FROM (
SELECT CASE WHEN tp_p IS NOT NULL AND tp_c IS NOT NULL AND tp_c >= 0 AND tp_v >= 0 AND tp_nl >= 0 AND (tp_c > 0 OR tp_v = 0) THEN 1 ELSE 0 END AS tp_valid, coalesce(CASE WHEN tp_p IS NOT NULL AND tp_c IS NOT NULL AND tp_c >= 0 AND tp_v >= 0 AND tp_nl >= 0 AND (tp_c > 0 OR tp_v = 0) THEN tp_p ELSE '-' END, '-') AS tp_p, tp_c AS tp_c, tp_v AS tp_v, tp_nl AS tp_nl FROM (
SELECT CAST(tp_src.`path` AS STRING) AS tp_p, CAST(tp_src.`total_conversions` AS DOUBLE) AS tp_c, COALESCE(CAST(tp_src.`total_conversion_value` AS DOUBLE), CAST(0 AS DOUBLE)) AS tp_v, COALESCE(CAST(tp_src.`total_null` AS DOUBLE), CAST(0 AS DOUBLE)) AS tp_nl FROM `analytics`.`paths` AS tp_src
) AS tp_norm
) AS tp_checked
) AS tp_named
) AS tp_rows
) AS tp_journey LATERAL VIEW posexplode(tp_a) tp_pe AS tp_k_0, tp_x
) AS tp_t LATERAL VIEW explode(IF(tp_k = 1, array(1, 2, 3, 4, 5), array(1, 2))) tp_fe AS tp_e
) AS tp_f
) AS tp_emit WHERE `section` IS NOT NULL GROUP BY `section`, `channels`
UNION ALL
SELECT 'settings' AS `section`, '{"format":1,"input":"paths","models":["first","last","last_non_direct","linear","position","participation","markov","shapley","shapley_rate"],"order":2,"position":{"first":0.4,"middle":0.2,"last":0.4},"halfLifeMs":604800000,"direct":["direct"]}' AS `channels`, CAST(0 AS DOUBLE) AS `conversions`, CAST(0 AS DOUBLE) AS `value`, CAST(0 AS DOUBLE) AS `nulls`, CAST(0 AS DOUBLE) AS `rows`, CAST(0 AS DOUBLE) AS `journeys`, CAST(0 AS DOUBLE) AS `touches`, CAST(0 AS DOUBLE) AS `first_conversions`, CAST(0 AS DOUBLE) AS `first_value`, CAST(0 AS DOUBLE) AS `last_conversions`, CAST(0 AS DOUBLE) AS `last_value`, CAST(0 AS DOUBLE) AS `last_non_direct_conversions`, CAST(0 AS DOUBLE) AS `last_non_direct_value`, CAST(0 AS DOUBLE) AS `linear_conversions`, CAST(0 AS DOUBLE) AS `linear_value`, CAST(0 AS DOUBLE) AS `position_conversions`, CAST(0 AS DOUBLE) AS `position_value`, CAST(0 AS DOUBLE) AS `time_decay_conversions`, CAST(0 AS DOUBLE) AS `time_decay_value`
) AS tp_result ORDER BY `section`, `channels`
