-- 100,000 rows for the row-decoding benchmark (NULLs spread over the nullable columns).
INSERT INTO bench_rows
SELECT g, g % 1000, 'name ' || g, 'user' || g || '@example.com', g % 2 = 0, g * 0.5, (g % 10000) / 100.0,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute',
       CASE WHEN g % 3 = 0 THEN NULL ELSE timestamptz '2024-06-01 00:00:00+00' END,
       CASE WHEN g % 4 = 0 THEN NULL ELSE date '2000-01-01' + g % 9000 END,
       md5(g::text)::uuid, (ARRAY['new', 'active', 'done'])[1 + g % 3]::bench_state, ARRAY['a', 'b' || g % 7],
       (g % 100)::smallint, CASE WHEN g % 2 = 0 THEN g / 3.0 END, CASE WHEN g % 5 = 0 THEN 'note ' || g END,
       CASE WHEN g % 4 = 0 THEN jsonb_build_object('g', g) END, NULLIF(g - 1, 0), lpad((g % 10000)::text, 4, '0'),
       CASE WHEN g % 2 = 1 THEN ARRAY[g % 5, g % 7] END
FROM generate_series(1, 100000) AS g;
