import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema and committed; they run on start and by
// `npm run cli -- db migrate`. The dialect is PostgreSQL for both drivers (PGlite is Postgres).
export default defineConfig({
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	dialect: 'postgresql',
	strict: true,
	verbose: true
});
