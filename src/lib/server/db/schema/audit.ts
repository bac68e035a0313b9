// The tamper-evident audit trail.
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Append-only (a trigger refuses UPDATE and DELETE). Each entry stores the SHA-256 of the
 * previous one, so editing or removing a past entry breaks the chain at that point.
 */
export const auditEntry = pgTable(
	'audit_entry',
	{
		seq: bigint('seq', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
		actorKind: text('actor_kind').notNull(),
		actorId: integer('actor_id'),
		actorLabel: text('actor_label').notNull(),
		action: text('action').notNull(),
		entity: text('entity').notNull(),
		entityId: text('entity_id'),
		changes: jsonb('changes').notNull(),
		clientAddress: text('client_address'),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		index('audit_entry_entity_idx').on(t.entity, t.entityId),
		index('audit_entry_at_idx').on(t.at)
	]
);
export type AuditEntry = typeof auditEntry.$inferSelect;
