// The command table: every `npm run cli -- <words>` the runner knows, in the order `help` lists
// them. A later issue adds a command by writing a module beside these and listing it here.
import type { Command } from '../command';
import { auditAnchor, auditExport, auditVerify } from './audit';
import { campaignClose, campaignCreate, campaignOpen } from './campaign';
import { dbMigrate } from './db';
import { demoLoad } from './demo';
import { exportResults } from './export';
import { importCommands } from './import';
import { exportInvitations, invitationsCreate } from './invitations';
import { importResponsesCommand } from './responses';
import { exportResponsesCommand } from './review';
import { sampleDraw } from './sample';
import { tokenCreate } from './token';
import { userCreate, userResetSecondFactor } from './user';
import { verifyResults } from './verify';
import { yearCommands } from './year';

export const COMMANDS: readonly Command[] = [
	dbMigrate,
	userCreate,
	userResetSecondFactor,
	...importCommands,
	importResponsesCommand,
	campaignCreate,
	sampleDraw,
	campaignOpen,
	campaignClose,
	invitationsCreate,
	...yearCommands,
	exportResults,
	verifyResults,
	exportInvitations,
	exportResponsesCommand,
	tokenCreate,
	auditVerify,
	auditAnchor,
	auditExport,
	demoLoad
];
