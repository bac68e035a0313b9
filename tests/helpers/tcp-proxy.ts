// A TCP proxy in front of the test PostgreSQL server, so that a test can take "the database"
// away from the app without touching the shared server: `refuse` closes the port and cuts every
// connection (a stopped server), `blackhole` accepts connections and holds every byte (a server
// or network that no longer answers), `restore` serves again.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
	port: number;
	/** `url` with its host and port replaced by the proxy's. */
	via(url: string): string;
	refuse(): Promise<void>;
	blackhole(): void;
	restore(): Promise<void>;
	close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
	let mode: 'pass' | 'refuse' | 'blackhole' = 'pass';
	const pairs = new Set<{ client: Socket; server: Socket | null }>();
	const held = new Set<Socket>();

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
		client.pipe(server);
		server.pipe(client);
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
				p.client.unpipe();
				p.server?.unpipe();
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
					p.client.pipe(p.server!);
					p.server!.pipe(p.client);
					p.client.resume();
					p.server!.resume();
				}
			}
			mode = 'pass';
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
