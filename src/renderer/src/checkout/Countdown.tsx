import { useEffect, useState } from 'react';

function useRemaining(expiresAt: string, offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    const interval = setInterval(() => setNow(Date.now() + offsetMs), 1_000);
    return () => clearInterval(interval);
  }, [offsetMs]);
  return Math.max(0, Date.parse(expiresAt) - now);
}

/** Time left to pay, on the server's clock (offsetMs: server minus this device). */
export function Countdown({ expiresAt, offsetMs }: { expiresAt: string; offsetMs: number }) {
  const ms = useRemaining(expiresAt, offsetMs);
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const text = `${hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}` : minutes}:${String(seconds).padStart(2, '0')}`;
  return (
    <p className="countdown" data-testid="countdown" aria-live="off">
      {ms > 0 ? (
        <>
          Pay within <strong>{text}</strong>
        </>
      ) : (
        'Time is up'
      )}
    </p>
  );
}
