// A TCP proxy in front of the test PostgreSQL server, so that a test can take "the database"
// away from the app without touching the shared server: `refuse` closes the port and cuts every
// connection (a stopped server), `blackhole` accepts connections and holds every byte (a server
// or network that no longer answers), `restore` serves again. And a bad network while serving:
// `cut` drops the connections open now, `delay` holds every chunk for a while each way.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
	port: number;
	/** `url` with its host and port replaced by the proxy's. */
	via(url: string): string;
	refuse(): Promise<void>;
	blackhole(): void;
	restore(): Promise<void>;
	/** Drops every connection open now (both ends see a reset); new ones are served. */
	cut(): void;
	/** Delays every chunk by `ms` each way from now on (0: none); the order is kept. */
	delay(ms: number): void;
	close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
	let mode: 'pass' | 'refuse' | 'blackhole' = 'pass';
	const pairs = new Set<{ client: Socket; server: Socket | null }>();
	const held = new Set<Socket>();

	let latencyMs = 0;
	/** Forwards what `from` reads to `to`, each chunk after the latency, in order. */
	const forward = (from: Socket, to: Socket) => {
		let lastDue = 0;
		from.on('data', (chunk: Buffer) => {
			if (latencyMs === 0 && lastDue <= Date.now()) {
				to.write(chunk);
				return;
			}
			const due = Math.max(lastDue, Date.now() + latencyMs);
			lastDue = due;
			setTimeout(() => to.write(chunk), due - Date.now());
		});
		from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastDue - Date.now())));
	};

	const onConnection = (client: Socket) => {
		client.on('error', () => {});
		if (mode === 'blackhole') {
			held.add(client);
			client.on('close', () => held.delete(client));
			return;
		}
		const server = connect(target.port, target.host);
		server.on('error', () => client.destroy());
		client.on('error', () => server.destroy());
		const pair = { client, server };
		pairs.add(pair);
		forward(client, server);
		forward(server, client);
		const drop = () => {
			pairs.delete(pair);
			client.destroy();
			server.destroy();
		};
		client.on('close', drop);
		server.on('close', drop);
	};

	let server: Server = createServer(onConnection);
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const port = (server.address() as { port: number }).port;

	const closeServer = () => new Promise<void>((ok) => server.close(() => ok()));

	return {
		port,
		via(url) {
			const u = new URL(url);
			u.hostname = '127.0.0.1';
			u.port = String(port);
			return u.toString();
		},
		async refuse() {
			mode = 'refuse';
			const closed = closeServer();
			for (const p of pairs) {
				p.client.destroy();
				p.server?.destroy();
			}
			for (const s of held) s.destroy();
			await closed;
		},
		blackhole() {
			mode = 'blackhole';
			// Connections made before stop passing bytes either way.
			for (const p of pairs) {
				p.client.pause();
				p.server?.pause();
			}
		},
		async restore() {
			if (mode === 'refuse') {
				server = createServer(onConnection);
				await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
			}
			if (mode === 'blackhole') {
				for (const s of held) s.destroy();
				for (const p of pairs) {
					p.client.resume();
					p.server!.resume();
				}
			}
			mode = 'pass';
		},
		cut() {
			for (const p of pairs) {
				p.client.resetAndDestroy();
				p.server?.resetAndDestroy();
			}
		},
		delay(ms) {
			latencyMs = ms;
		},
		async close() {
			for (const p of pairs) {
				p.client.destroy();
				p.server?.destroy();
			}
			for (const s of held) s.destroy();
			if (mode !== 'refuse') await closeServer();
		}
	};
}
