// The printable complaint contact cards (投诉联系卡) of a campaign's invitations: per card the QR
// code of its invitation address, the QR code and address of the complaint form, the hotline and
// the card number from the settings. QR codes are inline SVG made here, so the print view needs
// no script and no image requests.
import { complaintUrl } from '$lib/domain/invitations';
import type { Executor } from '$lib/server/db';
import { qrSvg } from '$lib/server/qr';
import { getContactCardSettings } from '$lib/server/settings';
import { invitationLines } from './invitations';

export interface ContactCard {
	invitationId: number;
	cardNo: string;
	enterpriseName: string;
	/** The invitation address's QR code, an `<svg>` element. */
	qr: string;
}

export interface ContactCardBatch {
	campaign: { code: string; year: number; nameZh: string; nameEn: string };
	cards: ContactCard[];
	/** Invitations of the campaign in all (for paging through the batch). */
	total: number;
	hotline: string;
	complaintUrl: string;
	complaintQr: string;
}

/** One page of a campaign's contact cards, in the sample's order. */
export async function contactCards(
	db: Executor,
	campaignCode: string,
	origin: string,
	range: { page: number; pageSize: number }
): Promise<ContactCardBatch> {
	const [{ campaign, lines, total }, settings] = await Promise.all([
		invitationLines(db, campaignCode, origin, range),
		getContactCardSettings(db)
	]);
	const complaint = complaintUrl(origin);
	const [complaintQr, ...qrs] = await Promise.all([
		qrSvg(complaint),
		...lines.map((l) => qrSvg(l.url))
	]);
	return {
		campaign: {
			code: campaign.code,
			year: campaign.year,
			nameZh: campaign.nameZh,
			nameEn: campaign.nameEn
		},
		cards: lines.map((l, i) => ({
			invitationId: l.invitationId,
			cardNo: l.cardNo,
			enterpriseName: l.enterpriseName,
			qr: qrs[i]!
		})),
		total,
		hotline: settings.hotline,
		complaintUrl: complaint,
		complaintQr: complaintQr!
	};
}
