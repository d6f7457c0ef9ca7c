SELECT * FROM (
SELECT "section", "channels",
  SUM("conversions") AS "conversions",
  SUM("value") AS "value",
  SUM("nulls") AS "nulls",
  SUM("rows") AS "rows",
  SUM("journeys") AS "journeys",
  SUM("touches") AS "touches",
  SUM("first_conversions") AS "first_conversions",
  SUM("first_value") AS "first_value",
  SUM("last_conversions") AS "last_conversions",
  SUM("last_value") AS "last_value",
  SUM("last_non_direct_conversions") AS "last_non_direct_conversions",
  SUM("last_non_direct_value") AS "last_non_direct_value",
  SUM("linear_conversions") AS "linear_conversions",
  SUM("linear_value") AS "linear_value",
  SUM("position_conversions") AS "position_conversions",
  SUM("position_value") AS "position_value",
  SUM("time_decay_conversions") AS "time_decay_conversions",
  SUM("time_decay_value") AS "time_decay_value"
FROM (
SELECT CASE WHEN tp_ok = 0 THEN (CASE WHEN tp_e = 1 AND tp_k = 1 THEN 'invalid' END) WHEN tp_e = 1 THEN 'channel' WHEN tp_e = 2 THEN (CASE WHEN tp_k <= tp_n - 2 AND tp_c + tp_nl > 0 AND NOT (tp_x = tp_x1 AND tp_x1 = tp_x2) THEN 'edge' END) WHEN tp_e = 3 THEN (CASE WHEN tp_k = 1 AND tp_c + tp_nl > 0 THEN 'set' END) WHEN tp_e = 4 THEN (CASE WHEN tp_k = 1 AND tp_c + tp_nl > 0 THEN 'start' END) WHEN tp_e = 5 THEN (CASE WHEN tp_k = tp_n AND tp_c + tp_nl > 0 THEN 'exit' END) END AS "section",
  CASE WHEN tp_ok = 0 THEN '' WHEN tp_e = 1 THEN tp_x WHEN tp_e = 2 THEN tp_x || E'>' || tp_x1 || E'>' || tp_x2 WHEN tp_e = 3 THEN '' WHEN tp_e = 4 THEN CASE WHEN tp_n = 1 THEN tp_x ELSE tp_x || E'>' || tp_x1 END WHEN tp_e = 5 THEN CASE WHEN tp_n = 1 THEN tp_x ELSE tp_y1 || E'>' || tp_x END ELSE '' END AS "channels",
  CASE WHEN tp_ok = 1 AND (tp_e IN (2, 3, 4, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_c ELSE CAST(0 AS DOUBLE PRECISION) END AS "conversions",
  CASE WHEN tp_ok = 1 AND (tp_e IN (3, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_v ELSE CAST(0 AS DOUBLE PRECISION) END AS "value",
  CASE WHEN tp_ok = 1 AND (tp_e IN (2, 3, 4, 5) OR tp_e = 1 AND tp_k = 1) THEN tp_nl ELSE CAST(0 AS DOUBLE PRECISION) END AS "nulls",
  CASE WHEN tp_e = 1 AND tp_k = 1 THEN tp_r ELSE CAST(0 AS DOUBLE PRECISION) END AS "rows",
  CASE WHEN tp_ok = 1 AND tp_e = 1 AND tp_k = 1 THEN tp_j ELSE CAST(0 AS DOUBLE PRECISION) END AS "journeys",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END AS "touches",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = 1 THEN tp_c ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "first_conversions",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = 1 THEN tp_v ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "first_value",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_n THEN tp_c ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "last_conversions",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_n THEN tp_v ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "last_value",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_lnd THEN tp_c ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "last_non_direct_conversions",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN tp_k = tp_lnd THEN tp_v ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "last_non_direct_value",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN CAST(1 AS DOUBLE PRECISION) / tp_n * tp_c ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "linear_conversions",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN CAST(1 AS DOUBLE PRECISION) / tp_n * tp_v ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "linear_value",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN (CASE WHEN tp_n = 1 THEN CAST(1 AS DOUBLE PRECISION) WHEN tp_n = 2 THEN (CASE WHEN tp_k = 1 THEN CAST(0.5 AS DOUBLE PRECISION) ELSE CAST(0.5 AS DOUBLE PRECISION) END) WHEN tp_k = 1 THEN CAST(0.4 AS DOUBLE PRECISION) WHEN tp_k = tp_n THEN CAST(0.4 AS DOUBLE PRECISION) ELSE CAST(0.2 AS DOUBLE PRECISION) / (tp_n - 2) END) * tp_c ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "position_conversions",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN CASE WHEN 1 = 1 THEN (CASE WHEN tp_n = 1 THEN CAST(1 AS DOUBLE PRECISION) WHEN tp_n = 2 THEN (CASE WHEN tp_k = 1 THEN CAST(0.5 AS DOUBLE PRECISION) ELSE CAST(0.5 AS DOUBLE PRECISION) END) WHEN tp_k = 1 THEN CAST(0.4 AS DOUBLE PRECISION) WHEN tp_k = tp_n THEN CAST(0.4 AS DOUBLE PRECISION) ELSE CAST(0.2 AS DOUBLE PRECISION) / (tp_n - 2) END) * tp_v ELSE CAST(0 AS DOUBLE PRECISION) END ELSE CAST(0 AS DOUBLE PRECISION) END AS "position_value",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN tp_dw * tp_c ELSE CAST(0 AS DOUBLE PRECISION) END AS "time_decay_conversions",
  CASE WHEN tp_ok = 1 AND tp_e IN (1) THEN tp_dw * tp_v ELSE CAST(0 AS DOUBLE PRECISION) END AS "time_decay_value"
FROM (
SELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, tp_lnd, tp_x1, tp_x2, tp_y1, tp_dw, tp_x, tp_k, tp_f.tp_e FROM (
SELECT * FROM (
SELECT tp_ok,
  CAST(MAX(tp_cv) OVER (PARTITION BY tp_id, tp_jn) AS DOUBLE PRECISION) AS tp_c,
  SUM(CASE WHEN tp_cv = 1 THEN tp_val ELSE CAST(0 AS DOUBLE PRECISION) END) OVER (PARTITION BY tp_id, tp_jn) AS tp_v,
  CAST(1 - MAX(tp_cv) OVER (PARTITION BY tp_id, tp_jn) AS DOUBLE PRECISION) AS tp_nl,
  CAST(COUNT(*) OVER (PARTITION BY tp_id, tp_jn) AS DOUBLE PRECISION) AS tp_r,
  CAST(1 AS DOUBLE PRECISION) AS tp_j,
  CASE WHEN COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (PARTITION BY tp_id, tp_jn) = 0 THEN 1 ELSE COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (PARTITION BY tp_id, tp_jn) END AS tp_n,
  CASE WHEN COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (PARTITION BY tp_id, tp_jn) = 0 THEN 1 ELSE COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (PARTITION BY tp_id, tp_jn ORDER BY tp_rk ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS tp_k,
  COALESCE(MAX(CASE WHEN tp_keep = 1 AND lower(tp_ch) NOT IN (E'direct') THEN tp_rk END) OVER (PARTITION BY tp_id, tp_jn) - MIN(CASE WHEN tp_keep = 1 THEN tp_rk END) OVER (PARTITION BY tp_id, tp_jn) + 1, CASE WHEN COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (PARTITION BY tp_id, tp_jn) = 0 THEN 1 ELSE COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (PARTITION BY tp_id, tp_jn) END) AS tp_lnd,
  replace(replace(CASE WHEN tp_keep = 1 THEN tp_ch ELSE E'(unattributed)' END, E'%', E'%25'), E'>', E'%3E') AS tp_x,
  LEAD(replace(replace(CASE WHEN tp_keep = 1 THEN tp_ch END, E'%', E'%25'), E'>', E'%3E'), 1) OVER (PARTITION BY tp_id, tp_jn ORDER BY tp_rk) AS tp_x1,
  LEAD(replace(replace(CASE WHEN tp_keep = 1 THEN tp_ch END, E'%', E'%25'), E'>', E'%3E'), 2) OVER (PARTITION BY tp_id, tp_jn ORDER BY tp_rk) AS tp_x2,
  LAG(replace(replace(CASE WHEN tp_keep = 1 THEN tp_ch END, E'%', E'%25'), E'>', E'%3E'), 1) OVER (PARTITION BY tp_id, tp_jn ORDER BY tp_rk) AS tp_y1,
  CASE WHEN COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (PARTITION BY tp_id, tp_jn) = 0 THEN CAST(1 AS DOUBLE PRECISION) ELSE power(CAST(2 AS DOUBLE PRECISION), -(tp_tl - tp_t) / CAST(604800000 AS DOUBLE PRECISION)) / SUM(CASE WHEN tp_keep = 1 THEN power(CAST(2 AS DOUBLE PRECISION), -(tp_tl - tp_t) / CAST(604800000 AS DOUBLE PRECISION)) END) OVER (PARTITION BY tp_id, tp_jn) END AS tp_dw,
  tp_keep,
  COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (PARTITION BY tp_id, tp_jn) AS tp_nk,
  tp_cv
FROM (
SELECT tp_ok, tp_id, tp_rk, tp_t, tp_ct, tp_ch, tp_cv, tp_val, tp_jn,
  CASE WHEN tp_ok = 0 OR (tp_ch <> '' AND MAX(tp_ea) OVER (PARTITION BY tp_id, tp_jn ORDER BY tp_rk ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) - tp_t <= CAST(2592000000 AS DOUBLE PRECISION)) THEN 1 ELSE 0 END AS tp_keep,
  MAX(tp_el) OVER (PARTITION BY tp_id, tp_jn ORDER BY tp_rk ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS tp_tl
FROM (
SELECT tp_ok, tp_id, tp_rk, tp_t, tp_ct, tp_ch, tp_cv, tp_val,
  CASE WHEN tp_ok = 0 THEN 0 ELSE COALESCE(SUM(CASE WHEN (tp_cv = 1 OR tp_nt IS NULL OR tp_nt - tp_lt > CAST(2592000000 AS DOUBLE PRECISION)) THEN 1 ELSE 0 END) OVER (PARTITION BY tp_id ORDER BY tp_rk ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) END AS tp_jn,
  CASE WHEN (tp_cv = 1 OR tp_nt IS NULL OR tp_nt - tp_lt > CAST(2592000000 AS DOUBLE PRECISION)) THEN CASE WHEN tp_cv = 1 THEN tp_ct ELSE tp_t END END AS tp_ea, CASE WHEN (tp_cv = 1 OR tp_nt IS NULL OR tp_nt - tp_lt > CAST(2592000000 AS DOUBLE PRECISION)) THEN COALESCE(tp_lt, tp_t) END AS tp_el
FROM (
SELECT tp_ok, tp_id, tp_t, tp_ct, tp_ch, tp_cv, tp_val, ROW_NUMBER() OVER (PARTITION BY tp_id ORDER BY tp_t, tp_cv, tp_ch, tp_val) AS tp_rk, LEAD(tp_t) OVER (PARTITION BY tp_id ORDER BY tp_t, tp_cv, tp_ch, tp_val) AS tp_nt, MAX(CASE WHEN tp_ch <> '' THEN tp_t END) OVER (PARTITION BY tp_id ORDER BY tp_t, tp_cv, tp_ch, tp_val ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS tp_lt FROM (
SELECT CASE WHEN tp_id IS NOT NULL AND tp_id <> '' AND tp_t IS NOT NULL AND tp_cv IS NOT NULL AND (tp_ch <> '' OR tp_cv = 1) AND tp_val >= 0 AND (tp_cv = 0 OR tp_ct >= tp_t) THEN 1 ELSE 0 END AS tp_ok, CASE WHEN tp_id IS NOT NULL AND tp_id <> '' AND tp_t IS NOT NULL AND tp_cv IS NOT NULL AND (tp_ch <> '' OR tp_cv = 1) AND tp_val >= 0 AND (tp_cv = 0 OR tp_ct >= tp_t) THEN tp_id ELSE '' END AS tp_id, tp_t, tp_ct, tp_q, tp_ch, tp_cv, tp_val FROM (SELECT btrim(CAST(tp_src."user_pseudo_id" AS TEXT), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) AS tp_id, CAST(tp_src."event_timestamp" AS DOUBLE PRECISION) / CAST(1000 AS DOUBLE PRECISION) AS tp_t, CAST(tp_src."event_timestamp" AS DOUBLE PRECISION) / CAST(1000 AS DOUBLE PRECISION) AS tp_ct, CAST(0 AS DOUBLE PRECISION) AS tp_q, COALESCE(btrim(CAST(tp_src."source" AS TEXT), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))), '') AS tp_ch, CASE WHEN btrim(CAST(tp_src."event_name" AS TEXT), ('                  　﻿' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) IN (E'purchase') THEN 1 ELSE 0 END AS tp_cv, COALESCE(CAST(tp_src."value" AS DOUBLE PRECISION), CAST(0 AS DOUBLE PRECISION)) AS tp_val FROM "analytics"."events" AS tp_src) AS tp_norm
) AS tp_event
) AS tp_ranked
) AS tp_ended
) AS tp_numbered
) AS tp_windowed WHERE tp_keep = 1 OR (tp_nk = 0 AND tp_cv = 1)
) AS tp_journey CROSS JOIN LATERAL unnest(CASE WHEN tp_k = 1 OR tp_k = tp_n THEN ARRAY[1, 2, 4, 5] ELSE ARRAY[1, 2] END) AS tp_f(tp_e)
) AS tp_f
) AS tp_emit WHERE "section" IS NOT NULL GROUP BY "section", "channels"
UNION ALL
SELECT E'settings' AS "section", E'{"format":1,"input":"events","models":["first","last","last_non_direct","linear","position","time_decay","markov"],"order":2,"position":{"first":0.4,"middle":0.2,"last":0.4},"halfLifeMs":604800000,"direct":["direct"],"lookbackMs":2592000000}' AS "channels", CAST(0 AS DOUBLE PRECISION) AS "conversions", CAST(0 AS DOUBLE PRECISION) AS "value", CAST(0 AS DOUBLE PRECISION) AS "nulls", CAST(0 AS DOUBLE PRECISION) AS "rows", CAST(0 AS DOUBLE PRECISION) AS "journeys", CAST(0 AS DOUBLE PRECISION) AS "touches", CAST(0 AS DOUBLE PRECISION) AS "first_conversions", CAST(0 AS DOUBLE PRECISION) AS "first_value", CAST(0 AS DOUBLE PRECISION) AS "last_conversions", CAST(0 AS DOUBLE PRECISION) AS "last_value", CAST(0 AS DOUBLE PRECISION) AS "last_non_direct_conversions", CAST(0 AS DOUBLE PRECISION) AS "last_non_direct_value", CAST(0 AS DOUBLE PRECISION) AS "linear_conversions", CAST(0 AS DOUBLE PRECISION) AS "linear_value", CAST(0 AS DOUBLE PRECISION) AS "position_conversions", CAST(0 AS DOUBLE PRECISION) AS "position_value", CAST(0 AS DOUBLE PRECISION) AS "time_decay_conversions", CAST(0 AS DOUBLE PRECISION) AS "time_decay_value"
) AS tp_result ORDER BY "section", "channels"
