WITH tp_values AS (
SELECT tp_experiment, tp_unit, MIN(tp_t0) AS tp_t0, MIN(tp_xlast) AS tp_xlast, MIN(tp_multiple) AS tp_multiple, MIN(tp_variant) AS tp_variant, MIN(tp_mixed) AS tp_mixed, MIN(tp_dimension) AS tp_dimension, MIN(tp_bad) AS tp_bad, MAX(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS DOUBLE PRECISION) THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END) AS tp_y0, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS DOUBLE PRECISION) THEN COALESCE(tp_ev0, CAST(0 AS DOUBLE PRECISION)) ELSE CAST(0 AS DOUBLE PRECISION) END) AS tp_y1, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 AND tp_et < tp_t0 + CAST(604800000 AS DOUBLE PRECISION) THEN CAST(0 AS DOUBLE PRECISION) WHEN tp_ee IN ('purchase') AND tp_et < tp_t0 AND tp_et >= tp_t0 + CAST(-1209600000 AS DOUBLE PRECISION) THEN COALESCE(tp_ev0, CAST(0 AS DOUBLE PRECISION)) ELSE CAST(0 AS DOUBLE PRECISION) END) AS tp_x1, SUM(CASE WHEN tp_ee IN ('purchase') AND tp_et >= tp_t0 THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END) AS tp_y2, COUNT(CASE WHEN tp_eu IS NULL THEN tp_ee END) AS tp_missing, MAX(tp_et) AS tp_elast
FROM (
SELECT CASE WHEN "unit_id" IS NULL OR BTRIM(CAST("unit_id" AS VARCHAR), ('                  　﻿' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13))) = '' OR "timestamp" IS NULL OR (CAST("event" AS VARCHAR) IN ('purchase') AND "value" IS NULL) THEN NULL ELSE CAST("unit_id" AS VARCHAR) END AS tp_eu, CAST("timestamp" AS DOUBLE PRECISION) * CAST(0.001 AS DOUBLE PRECISION) AS tp_et, CAST("event" AS VARCHAR) AS tp_ee, CAST("value" AS DOUBLE PRECISION) AS tp_ev0 FROM "analytics"."events" AS tp_es WHERE CAST("event" AS VARCHAR) IN ('purchase')
) AS tp_e FULL JOIN (
SELECT tp_xe AS tp_experiment, tp_xu AS tp_unit, MIN(tp_xt) AS tp_t0, MAX(tp_xt) AS tp_xlast, CASE WHEN MIN(tp_xv) = MAX(tp_xv) THEN 0 ELSE 1 END AS tp_multiple, CASE WHEN MIN(tp_xv) = MAX(tp_xv) THEN MIN(tp_xv) ELSE '' END AS tp_variant, CASE WHEN MIN(tp_xf) = MAX(tp_xf) THEN 0 ELSE 1 END AS tp_mixed, CASE WHEN MIN(tp_xf) = MAX(tp_xf) THEN MIN(tp_xf) ELSE '' END AS tp_dimension, MAX(tp_xbad) AS tp_bad FROM (
SELECT tp_xu, tp_xe, tp_xv, tp_xt, tp_xbad, CASE WHEN tp_xt = MIN(tp_xt) OVER (PARTITION BY tp_xe, tp_xu) THEN tp_xd END AS tp_xf FROM (
SELECT CAST("unit_id" AS VARCHAR) AS tp_xu, CAST("experiment" AS VARCHAR) AS tp_xe, CAST("variant" AS VARCHAR) AS tp_xv, CAST(DATEDIFF(microsecond, TIMESTAMP '1970-01-01 00:00:00', "timestamp") AS DOUBLE PRECISION) / 1000 AS tp_xt, COALESCE(CAST("country" AS VARCHAR), '') AS tp_xd, CASE WHEN "unit_id" IS NULL OR BTRIM(CAST("unit_id" AS VARCHAR), ('                  　﻿' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13))) = '' OR "experiment" IS NULL OR BTRIM(CAST("experiment" AS VARCHAR), ('                  　﻿' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13))) = '' OR "variant" IS NULL OR BTRIM(CAST("variant" AS VARCHAR), ('                  　﻿' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13))) = '' OR "timestamp" IS NULL THEN 1 ELSE 0 END AS tp_xbad FROM "analytics"."exposures" AS tp_xs WHERE (CAST("experiment" AS VARCHAR) = 'checkout-button') OR "unit_id" IS NULL OR BTRIM(CAST("unit_id" AS VARCHAR), ('                  　﻿' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13))) = '' OR "experiment" IS NULL OR BTRIM(CAST("experiment" AS VARCHAR), ('                  　﻿' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13))) = '' OR "variant" IS NULL OR BTRIM(CAST("variant" AS VARCHAR), ('                  　﻿' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13))) = '' OR "timestamp" IS NULL
) AS tp_xn
) AS tp_xw GROUP BY tp_xe, tp_xu
) AS tp_u ON tp_u.tp_unit = tp_e.tp_eu
GROUP BY tp_experiment, tp_unit
)
SELECT tp_experiment AS "experiment", tp_multiple AS "multiple", tp_variant AS "variant", tp_mixed AS "mixed", tp_dimension AS "dimension",
  CAST(COUNT(*) AS DOUBLE PRECISION) AS "units",
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
  CAST(SUM(tp_bad) AS DOUBLE PRECISION) AS "invalid_exposures",
  CAST(SUM(tp_missing) AS DOUBLE PRECISION) AS "missing_values",
  MIN(tp_t0) AS "first_exposure",
  MAX(tp_xlast) AS "last_exposure",
  MAX(tp_elast) AS "last_event"
FROM (
SELECT tp_experiment, tp_multiple, tp_variant, tp_mixed, tp_dimension, tp_bad, tp_missing, tp_t0, tp_xlast, tp_elast, tp_y0 AS tp_cy0, CASE WHEN tp_y1 > tp_ky1 THEN tp_ky1 ELSE tp_y1 END AS tp_cy1, CASE WHEN tp_x1 > tp_kx1 THEN tp_kx1 ELSE tp_x1 END AS tp_cx1, tp_ky1 AS tp_cap1, tp_kx1 AS tp_capx1, CASE WHEN tp_y2 > CAST(10 AS DOUBLE PRECISION) THEN CAST(10 AS DOUBLE PRECISION) ELSE tp_y2 END AS tp_cy2, CAST(10 AS DOUBLE PRECISION) AS tp_cap2 FROM tp_values AS tp_v LEFT JOIN (
SELECT tp_experiment, PERCENTILE_CONT(CAST(0.99 AS DOUBLE PRECISION)) WITHIN GROUP (ORDER BY tp_y1) AS tp_ky1, PERCENTILE_CONT(CAST(0.99 AS DOUBLE PRECISION)) WITHIN GROUP (ORDER BY tp_x1) AS tp_kx1 FROM tp_values AS tp_cu WHERE tp_multiple = 0 AND tp_experiment IS NOT NULL GROUP BY tp_experiment
) AS tp_c USING (tp_experiment)
) AS tp_capped
GROUP BY tp_experiment, tp_multiple, tp_variant, tp_mixed, tp_dimension
ORDER BY "experiment", "multiple", "variant", "mixed", "dimension"
