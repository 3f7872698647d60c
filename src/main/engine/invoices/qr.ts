import QRCode from 'qrcode';

/** The payment URI as an SVG QR code; quiet zone included so it scans off a screen. */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
