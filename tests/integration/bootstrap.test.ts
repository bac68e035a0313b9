// The first start speaks one language, the terminal's (PINGYI_LANG, else LANG, as npm start and
// the CLI): the first admin's display name and the lines printed about it.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { verifyPassword } from '$lib/server/auth/password';
import { bootstrap } from '$lib/server/bootstrap';
import { auditEntry, user } from '$lib/server/db/schema';
import { describeEachDatabase } from '../helpers/db';

const han = /\p{Script=Han}/u;

describeEachDatabase('first start in English (PINGYI_LANG=en)', (t) => {
	it('names the first admin and prints the generated password in English', async () => {
		const lines: string[] = [];
		await bootstrap(t.db, { PINGYI_LANG: 'en', LANG: 'zh_CN.UTF-8' }, (l) => lines.push(l));
		const [admin] = await t.db.select().from(user);
		expect(admin!.displayName).toBe('Administrator');
		expect(admin!.role).toBe('admin');
		const first = lines[0]!;
		expect(first).toContain('First admin created. Sign in as "admin" with password: ');
		expect(first).not.toMatch(han);
		// The password printed is the one stored, and it is printed once.
		const password = /password: (\S+)/.exec(first)![1]!;
		expect(await verifyPassword(admin!.passwordHash, password)).toBe(true);
		const created = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'user.create'));
		expect(JSON.stringify(created[0]!.changes)).not.toContain(password);
	});
});

describeEachDatabase('first start in Chinese (LANG not English)', (t) => {
	it('names the first admin 管理员 and says so in Chinese', async () => {
		const lines: string[] = [];
		await bootstrap(
			t.db,
			{ LANG: 'C.UTF-8', ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'a-long-password-1' },
			(l) => lines.push(l)
		);
		const [admin] = await t.db.select().from(user);
		expect(admin!.username).toBe('chief');
		expect(admin!.displayName).toBe('管理员');
		expect(lines[0]!.trim()).toBe(
			m.bootstrap_admin_from_env({ username: 'chief' }, { locale: 'zh-CN' })
		);
		expect(await verifyPassword(admin!.passwordHash, 'a-long-password-1')).toBe(true);

		// Only on an empty database: a second start creates and prints nothing about admins.
		const again: string[] = [];
		await bootstrap(t.db, { LANG: 'en_US.UTF-8', ADMIN_PASSWORD: 'another-password-2' }, (l) =>
			again.push(l)
		);
		expect(await t.db.select().from(user)).toHaveLength(1);
		expect(again.join('\n')).not.toContain('admin');
	});
});
