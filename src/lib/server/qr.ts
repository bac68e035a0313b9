// QR codes as inline <svg>, made on the server: the contact cards' addresses, a TOTP key's URI.
import QRCode from 'qrcode';

/** An `<svg>` QR code of `text`, without a quiet zone (the page leaves room around it). */
export function qrSvg(text: string): Promise<string> {
	return QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
}
