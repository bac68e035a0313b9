// The command table: every `npm run cli -- <words>` the runner knows, in the order `help` lists
// them. A later issue adds a command by writing a module beside these and listing it here.
import type { Command } from '../command';
import { auditVerify } from './audit';
import { dbMigrate } from './db';
import { importCommands } from './import';
import { userCreate } from './user';

export const COMMANDS: readonly Command[] = [dbMigrate, userCreate, ...importCommands, auditVerify];
