WITH tp_units AS MATERIALIZED (
SELECT tp_un.*, ROW_NUMBER() OVER () AS tp_uid FROM (
SELECT tp_xe AS tp_experiment, tp_xu AS tp_unit, MIN(tp_xt) AS tp_t0, MAX(tp_xt) AS tp_xlast, CASE WHEN MIN(tp_xv) = MAX(tp_xv) THEN 0 ELSE 1 END AS tp_multiple, CASE WHEN MIN(tp_xv) = MAX(tp_xv) THEN MIN(tp_xv) ELSE '' END AS tp_variant, MAX(tp_xbad) AS tp_bad FROM (
SELECT CAST("unit_id" AS VARCHAR) AS tp_xu, CAST("experiment" AS VARCHAR) AS tp_xe, CAST("variant" AS VARCHAR) AS tp_xv, CAST(epoch_us("timestamp") AS DOUBLE) / 1000 AS tp_xt, '' AS tp_xd, CASE WHEN "unit_id" IS NULL OR CAST("unit_id" AS VARCHAR) = '' OR ((ascii(CAST("unit_id" AS VARCHAR)) <= 32 OR ascii(CAST("unit_id" AS VARCHAR)) >= 160) AND (CASE WHEN strlen(CAST("unit_id" AS VARCHAR)) = length(CAST("unit_id" AS VARCHAR)) THEN trim(CAST("unit_id" AS VARCHAR), (' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) ELSE trim(CAST("unit_id" AS VARCHAR), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) END) = '') OR "experiment" IS NULL OR CAST("experiment" AS VARCHAR) = '' OR ((ascii(CAST("experiment" AS VARCHAR)) <= 32 OR ascii(CAST("experiment" AS VARCHAR)) >= 160) AND (CASE WHEN strlen(CAST("experiment" AS VARCHAR)) = length(CAST("experiment" AS VARCHAR)) THEN trim(CAST("experiment" AS VARCHAR), (' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) ELSE trim(CAST("experiment" AS VARCHAR), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) END) = '') OR "variant" IS NULL OR CAST("variant" AS VARCHAR) = '' OR ((ascii(CAST("variant" AS VARCHAR)) <= 32 OR ascii(CAST("variant" AS VARCHAR)) >= 160) AND (CASE WHEN strlen(CAST("variant" AS VARCHAR)) = length(CAST("variant" AS VARCHAR)) THEN trim(CAST("variant" AS VARCHAR), (' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) ELSE trim(CAST("variant" AS VARCHAR), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) END) = '') OR "timestamp" IS NULL THEN 1 ELSE 0 END AS tp_xbad FROM "analytics"."exposures" AS tp_xs WHERE (CAST("experiment" AS VARCHAR) = 'checkout-button') OR "unit_id" IS NULL OR CAST("unit_id" AS VARCHAR) = '' OR ((ascii(CAST("unit_id" AS VARCHAR)) <= 32 OR ascii(CAST("unit_id" AS VARCHAR)) >= 160) AND (CASE WHEN strlen(CAST("unit_id" AS VARCHAR)) = length(CAST("unit_id" AS VARCHAR)) THEN trim(CAST("unit_id" AS VARCHAR), (' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) ELSE trim(CAST("unit_id" AS VARCHAR), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) END) = '') OR "experiment" IS NULL OR CAST("experiment" AS VARCHAR) = '' OR ((ascii(CAST("experiment" AS VARCHAR)) <= 32 OR ascii(CAST("experiment" AS VARCHAR)) >= 160) AND (CASE WHEN strlen(CAST("experiment" AS VARCHAR)) = length(CAST("experiment" AS VARCHAR)) THEN trim(CAST("experiment" AS VARCHAR), (' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) ELSE trim(CAST("experiment" AS VARCHAR), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) END) = '') OR "variant" IS NULL OR CAST("variant" AS VARCHAR) = '' OR ((ascii(CAST("variant" AS VARCHAR)) <= 32 OR ascii(CAST("variant" AS VARCHAR)) >= 160) AND (CASE WHEN strlen(CAST("variant" AS VARCHAR)) = length(CAST("variant" AS VARCHAR)) THEN trim(CAST("variant" AS VARCHAR), (' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) ELSE trim(CAST("variant" AS VARCHAR), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) END) = '') OR "timestamp" IS NULL
) AS tp_xw GROUP BY tp_xe, tp_xu
) AS tp_un
), tp_sums AS (
SELECT tp_uid, MAX(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS DOUBLE) THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END) AS tp_y0, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS DOUBLE) THEN COALESCE(tp_ev0, CAST(0 AS DOUBLE)) ELSE CAST(0 AS DOUBLE) END) AS tp_y1, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS DOUBLE) THEN CAST(0 AS DOUBLE) WHEN tp_ee IN ('purchase') AND tp_et < tp_t0 AND tp_et >= tp_t0 + CAST(-1209600000 AS DOUBLE) THEN COALESCE(tp_ev0, CAST(0 AS DOUBLE)) ELSE CAST(0 AS DOUBLE) END) AS tp_x1, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END) AS tp_y2, COUNT(CASE WHEN tp_eu IS NULL THEN tp_ee END) AS tp_missing, MAX(tp_et) AS tp_elast
FROM (
SELECT CASE WHEN "unit_id" IS NULL OR CAST("unit_id" AS VARCHAR) = '' OR ((ascii(CAST("unit_id" AS VARCHAR)) <= 32 OR ascii(CAST("unit_id" AS VARCHAR)) >= 160) AND (CASE WHEN strlen(CAST("unit_id" AS VARCHAR)) = length(CAST("unit_id" AS VARCHAR)) THEN trim(CAST("unit_id" AS VARCHAR), (' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) ELSE trim(CAST("unit_id" AS VARCHAR), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) END) = '') OR "timestamp" IS NULL OR (CAST("event" AS VARCHAR) IN ('purchase') AND "value" IS NULL) THEN NULL ELSE CAST("unit_id" AS VARCHAR) END AS tp_eu, CAST("timestamp" AS DOUBLE) * CAST(0.001 AS DOUBLE) AS tp_et, CAST("event" AS VARCHAR) AS tp_ee, CAST("value" AS DOUBLE) AS tp_ev0 FROM "analytics"."events" AS tp_es WHERE CAST("event" AS VARCHAR) IN ('purchase')
) AS tp_e FULL JOIN (SELECT tp_uid, tp_unit, tp_t0 FROM tp_units) AS tp_u ON tp_u.tp_unit = tp_e.tp_eu
GROUP BY tp_uid
), tp_values AS MATERIALIZED (
SELECT tp_experiment, tp_t0, tp_xlast, tp_multiple, tp_variant, tp_bad, tp_s.tp_y0, tp_s.tp_y1, tp_s.tp_x1, tp_s.tp_y2, tp_s.tp_missing, tp_s.tp_elast
FROM tp_sums AS tp_s LEFT JOIN tp_units AS tp_uu ON tp_uu.tp_uid = tp_s.tp_uid
)
SELECT tp_experiment AS "experiment", tp_multiple AS "multiple", tp_variant AS "variant",
  CAST(COUNT(*) AS DOUBLE) AS "units",
  SUM(tp_cy0) AS "m0_sum",
  SUM(tp_cy0 * tp_cy0) AS "m0_sum_squares",
  SUM(tp_cy1) AS "m1_sum",
  SUM(tp_cy1 * tp_cy1) AS "m1_sum_squares",
  SUM(tp_cx1) AS "m1_covariate_sum",
  SUM(tp_cx1 * tp_cx1) AS "m1_covariate_sum_squares",
  SUM(tp_cx1 * tp_cy1) AS "m1_product_sum",
  MAX(tp_cap1) AS "m1_cap",
  MAX(tp_capx1) AS "m1_covariate_cap",
  SUM(tp_cy2) AS "m2_sum",
  SUM(tp_cy2 * tp_cy2) AS "m2_sum_squares",
  MAX(tp_cap2) AS "m2_cap",
  SUM(tp_cy1 * tp_cy2) AS "r0_product_sum",
  CAST(SUM(tp_bad) AS DOUBLE) AS "invalid_exposures",
  CAST(SUM(tp_missing) AS DOUBLE) AS "missing_values",
  MIN(tp_t0) AS "first_exposure",
  MAX(tp_xlast) AS "last_exposure",
  MAX(tp_elast) AS "last_event"
FROM (
SELECT tp_experiment, tp_multiple, tp_variant, tp_bad, tp_missing, tp_t0, tp_xlast, tp_elast, tp_y0 AS tp_cy0, CASE WHEN tp_y1 > tp_ky1 THEN tp_ky1 ELSE tp_y1 END AS tp_cy1, CASE WHEN tp_x1 > tp_kx1 THEN tp_kx1 ELSE tp_x1 END AS tp_cx1, tp_ky1 AS tp_cap1, tp_kx1 AS tp_capx1, CASE WHEN tp_y2 > CAST(10 AS DOUBLE) THEN CAST(10 AS DOUBLE) ELSE tp_y2 END AS tp_cy2, CAST(10 AS DOUBLE) AS tp_cap2 FROM tp_values AS tp_v LEFT JOIN (
SELECT tp_experiment, quantile_cont(tp_y1, CAST(0.99 AS DOUBLE)) AS tp_ky1, quantile_cont(tp_x1, CAST(0.99 AS DOUBLE)) AS tp_kx1 FROM tp_values AS tp_cu WHERE tp_multiple = 0 AND tp_experiment IS NOT NULL GROUP BY tp_experiment
) AS tp_c USING (tp_experiment)
) AS tp_capped
GROUP BY tp_experiment, tp_multiple, tp_variant
ORDER BY "experiment", "multiple", "variant"
