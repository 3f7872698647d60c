import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** The EIP-681 funding link of a gas account as a QR code, drawn here with the same library the engine uses. */
export function FundQr({ uri, label }: { uri: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(
      (svg) => current && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => current && setSrc(null),
    );
    return () => {
      current = false;
    };
  }, [uri]);
  if (!src) return <div className="fund-qr fund-qr--empty" aria-hidden="true" />;
  return <img className="fund-qr" src={src} alt={label} width={132} height={132} />;
}
