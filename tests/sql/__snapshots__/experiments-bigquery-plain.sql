WITH tp_values AS (
SELECT tp_experiment, tp_unit, MIN(tp_t0) AS tp_t0, MIN(tp_xlast) AS tp_xlast, MIN(tp_multiple) AS tp_multiple, MIN(tp_variant) AS tp_variant, MIN(tp_bad) AS tp_bad, MAX(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS FLOAT64) THEN CAST(1 AS FLOAT64) ELSE CAST(0 AS FLOAT64) END) AS tp_y0, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS FLOAT64) THEN COALESCE(tp_ev0, CAST(0 AS FLOAT64)) ELSE CAST(0 AS FLOAT64) END) AS tp_y1, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS FLOAT64) THEN CAST(0 AS FLOAT64) WHEN tp_ee IN ('purchase') AND tp_et < tp_t0 AND tp_et >= tp_t0 + CAST(-1209600000 AS FLOAT64) THEN COALESCE(tp_ev0, CAST(0 AS FLOAT64)) ELSE CAST(0 AS FLOAT64) END) AS tp_x1, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 THEN CAST(1 AS FLOAT64) ELSE CAST(0 AS FLOAT64) END) AS tp_y2, COUNT(CASE WHEN tp_eu IS NULL THEN tp_ee END) AS tp_missing, MAX(tp_et) AS tp_elast
FROM (
SELECT CASE WHEN `unit_id` IS NULL OR TRIM(CAST(`unit_id` AS STRING), '\t\n\x0b\x0c\r                  　﻿') = '' OR `timestamp` IS NULL OR (CAST(`event` AS STRING) IN ('purchase') AND `value` IS NULL) THEN NULL ELSE CAST(`unit_id` AS STRING) END AS tp_eu, CAST(`timestamp` AS FLOAT64) * CAST(0.001 AS FLOAT64) AS tp_et, CAST(`event` AS STRING) AS tp_ee, CAST(`value` AS FLOAT64) AS tp_ev0 FROM `analytics.events` AS tp_es WHERE CAST(`event` AS STRING) IN ('purchase')
) AS tp_e FULL JOIN (
SELECT tp_xe AS tp_experiment, tp_xu AS tp_unit, MIN(tp_xt) AS tp_t0, MAX(tp_xt) AS tp_xlast, CASE WHEN MIN(tp_xv) = MAX(tp_xv) THEN 0 ELSE 1 END AS tp_multiple, CASE WHEN MIN(tp_xv) = MAX(tp_xv) THEN MIN(tp_xv) ELSE '' END AS tp_variant, MAX(tp_xbad) AS tp_bad FROM (
SELECT CAST(`unit_id` AS STRING) AS tp_xu, CAST(`experiment` AS STRING) AS tp_xe, CAST(`variant` AS STRING) AS tp_xv, UNIX_MICROS(`timestamp`) / 1000 AS tp_xt, '' AS tp_xd, CASE WHEN `unit_id` IS NULL OR TRIM(CAST(`unit_id` AS STRING), '\t\n\x0b\x0c\r                  　﻿') = '' OR `experiment` IS NULL OR TRIM(CAST(`experiment` AS STRING), '\t\n\x0b\x0c\r                  　﻿') = '' OR `variant` IS NULL OR TRIM(CAST(`variant` AS STRING), '\t\n\x0b\x0c\r                  　﻿') = '' OR `timestamp` IS NULL THEN 1 ELSE 0 END AS tp_xbad FROM `analytics.exposures` AS tp_xs WHERE (CAST(`experiment` AS STRING) = 'checkout-button') OR `unit_id` IS NULL OR TRIM(CAST(`unit_id` AS STRING), '\t\n\x0b\x0c\r                  　﻿') = '' OR `experiment` IS NULL OR TRIM(CAST(`experiment` AS STRING), '\t\n\x0b\x0c\r                  　﻿') = '' OR `variant` IS NULL OR TRIM(CAST(`variant` AS STRING), '\t\n\x0b\x0c\r                  　﻿') = '' OR `timestamp` IS NULL
) AS tp_xw GROUP BY tp_xe, tp_xu
) AS tp_u ON tp_u.tp_unit = tp_e.tp_eu
GROUP BY tp_experiment, tp_unit
)
SELECT tp_experiment AS `experiment`, tp_multiple AS `multiple`, tp_variant AS `variant`,
  CAST(COUNT(*) AS FLOAT64) AS `units`,
  SUM(tp_cy0) AS `m0_sum`,
  SUM(tp_cy0 * tp_cy0) AS `m0_sum_squares`,
  SUM(tp_cy1) AS `m1_sum`,
  SUM(tp_cy1 * tp_cy1) AS `m1_sum_squares`,
  SUM(tp_cx1) AS `m1_covariate_sum`,
  SUM(tp_cx1 * tp_cx1) AS `m1_covariate_sum_squares`,
  SUM(tp_cx1 * tp_cy1) AS `m1_product_sum`,
  MAX(tp_cap1) AS `m1_cap`,
  MAX(tp_capx1) AS `m1_covariate_cap`,
  SUM(tp_cy2) AS `m2_sum`,
  SUM(tp_cy2 * tp_cy2) AS `m2_sum_squares`,
  MAX(tp_cap2) AS `m2_cap`,
  SUM(tp_cy1 * tp_cy2) AS `r0_product_sum`,
  CAST(SUM(tp_bad) AS FLOAT64) AS `invalid_exposures`,
  CAST(SUM(tp_missing) AS FLOAT64) AS `missing_values`,
  MIN(tp_t0) AS `first_exposure`,
  MAX(tp_xlast) AS `last_exposure`,
  MAX(tp_elast) AS `last_event`
FROM (
SELECT tp_experiment, tp_multiple, tp_variant, tp_bad, tp_missing, tp_t0, tp_xlast, tp_elast, tp_y0 AS tp_cy0, CASE WHEN tp_y1 > tp_ky1 THEN tp_ky1 ELSE tp_y1 END AS tp_cy1, CASE WHEN tp_x1 > tp_kx1 THEN tp_kx1 ELSE tp_x1 END AS tp_cx1, tp_ky1 AS tp_cap1, tp_kx1 AS tp_capx1, CASE WHEN tp_y2 > CAST(10 AS FLOAT64) THEN CAST(10 AS FLOAT64) ELSE tp_y2 END AS tp_cy2, CAST(10 AS FLOAT64) AS tp_cap2 FROM tp_values AS tp_v LEFT JOIN (
SELECT tp_experiment, CASE WHEN ARRAY_LENGTH(tp_a0) = 0 THEN NULL WHEN CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a0) - 1)) AS INT64) + 1 >= ARRAY_LENGTH(tp_a0) THEN tp_a0[SAFE_ORDINAL(CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a0) - 1)) AS INT64) + 1)] ELSE tp_a0[SAFE_ORDINAL(CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a0) - 1)) AS INT64) + 1)] + (CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a0) - 1) - CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a0) - 1)) AS INT64)) * (tp_a0[SAFE_ORDINAL(CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a0) - 1)) AS INT64) + 2)] - tp_a0[SAFE_ORDINAL(CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a0) - 1)) AS INT64) + 1)]) END AS tp_ky1, CASE WHEN ARRAY_LENGTH(tp_a1) = 0 THEN NULL WHEN CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a1) - 1)) AS INT64) + 1 >= ARRAY_LENGTH(tp_a1) THEN tp_a1[SAFE_ORDINAL(CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a1) - 1)) AS INT64) + 1)] ELSE tp_a1[SAFE_ORDINAL(CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a1) - 1)) AS INT64) + 1)] + (CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a1) - 1) - CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a1) - 1)) AS INT64)) * (tp_a1[SAFE_ORDINAL(CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a1) - 1)) AS INT64) + 2)] - tp_a1[SAFE_ORDINAL(CAST(FLOOR(CAST(0.99 AS FLOAT64) * (ARRAY_LENGTH(tp_a1) - 1)) AS INT64) + 1)]) END AS tp_kx1 FROM (
SELECT tp_experiment, ARRAY_AGG(tp_y1 ORDER BY tp_y1) AS tp_a0, ARRAY_AGG(tp_x1 ORDER BY tp_x1) AS tp_a1 FROM tp_values AS tp_cu WHERE tp_multiple = 0 AND tp_experiment IS NOT NULL GROUP BY tp_experiment
) AS tp_ca
) AS tp_c USING (tp_experiment)
) AS tp_capped
GROUP BY tp_experiment, tp_multiple, tp_variant
ORDER BY `experiment`, `multiple`, `variant`
