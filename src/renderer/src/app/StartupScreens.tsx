import { Logo } from './Logo.tsx';
import { Spinner } from '../ui/Spinner.tsx';

export function SessionExpiredScreen() {
  return (
    <main className="splash">
      <Logo />
      <div className="splash__card card">
        <h1 className="section-title">Your session has expired</h1>
        <p>
          For your safety, the browser session to Till has ended. Open the link with the one-time token that{' '}
          <code className="mono">till serve</code> printed in your terminal (it looks like{' '}
          <code className="mono">http://127.0.0.1:…/?token=…</code>). If you no longer have it, restart{' '}
          <code className="mono">till serve</code> to get a new one.
        </p>
      </div>
    </main>
  );
}

export function LoadErrorScreen({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <main className="splash">
      <Logo />
      <div className="splash__card card">
        <h1 className="section-title">Till could not start</h1>
        <p className="error-text" role="alert">
          {message}
        </p>
        <button type="button" className="button button--primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </main>
  );
}

export function LoadingScreen() {
  return (
    <main className="splash">
      <Logo />
      <Spinner label="Starting Till" />
    </main>
  );
}
