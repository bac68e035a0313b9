// The floor of the submissions bench: a bare node:http server with postgres.js that takes the
// same JSON body as `POST /api/v1/responses` and stores the same rows — the response and its
// rating row, in one statement, idempotent by response_key — with no checks, no framework and
// no ORM. Started by submissions.ts as its own process, as the app is; prints "Listening on"
// when ready. Usage: node --import tsx submissions-floor.ts <database url> <port> <campaign id>
// <department ids as CODE=ID,…> <question slots as CODE=SLOT,…>
import { createServer } from 'node:http';
import postgres from 'postgres';

const [url, port, campaignId, departmentList, slotList] = process.argv.slice(2);
const departments = new Map(
	departmentList!.split(',').map((p) => {
		const [code, id] = p.split('=');
		return [code!, Number(id)] as const;
	})
);
const slots = new Map(
	slotList!.split(',').map((p) => {
		const [code, slot] = p.split('=');
		return [code!, Number(slot)] as const;
	})
);
// The app's pool size and session settings.
const sql = postgres(url!, {
	max: 10,
	onnotice: () => {},
	connection: { TimeZone: 'Asia/Shanghai', application_name: 'pingyi-bench-floor' }
});

/** The response and its rating row, one statement; nothing when the key is stored already. */
const INSERT = `with ins as (
		insert into survey_response (response_key, campaign_id, channel, submitted_at)
		values ($1, $2, $3::response_channel, $4::timestamptz)
		on conflict (response_key) do nothing
		returning id),
	rating as (
		insert into survey_rating (response_id, department_id, campaign_id,
			r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12)
		select ins.id, $5, $2, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17
		from ins)
	select id::text as id from ins`;

interface Body {
	response_key: string;
	channel: string;
	submitted_at: string;
	answers: { department_code: string; question_code: string; answer: number }[];
}

const server = createServer((req, res) => {
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => {
		void (async () => {
			const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
			const levels: (number | null)[] = Array(12).fill(null);
			for (const a of b.answers) levels[slots.get(a.question_code)! - 1] = a.answer;
			const departmentId = departments.get(b.answers[0]!.department_code)!;
			const [row] = (await sql.unsafe(INSERT, [
				b.response_key,
				Number(campaignId),
				b.channel,
				b.submitted_at,
				departmentId,
				...levels
			])) as unknown as { id: string }[];
			res.writeHead(row ? 201 : 200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ id: row ? Number(row.id) : null, response_key: b.response_key }));
		})().catch((e: unknown) => {
			res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(String(e));
		});
	});
});
server.listen(Number(port), '127.0.0.1', () => console.log(`Listening on ${port}`));
process.on('SIGTERM', () => {
	server.close();
	void sql.end().then(() => process.exit(0));
});
