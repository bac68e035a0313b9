import { openDatabase, rows } from './src/lib/server/db';
import { sql } from 'drizzle-orm';
const h = await openDatabase({ pgliteDir: '/tmp/demo-pg' });
const r = await rows<any>(h.db, sql`select s.year, s.kind, d->>'code' as code, d->>'category' as cat, d->'rank' as rank, d->'outcomes' as outcomes, round((d->'scores'->>'total')::numeric,2) as total
 from evaluation_snapshot s cross join jsonb_array_elements(s.content->'departments') d where jsonb_array_length(d->'outcomes') > 0 and s.kind='published' order by s.year, d->>'category', (d->>'rank')::int`);
for (const x of r) console.log(x.year, x.cat, x.code, x.rank, x.total, JSON.stringify(x.outcomes));
const w = await rows<any>(h.db, sql`select year, kind, error_count, warning_count from evaluation_snapshot order by id`);
console.log(w);
await h.close();
