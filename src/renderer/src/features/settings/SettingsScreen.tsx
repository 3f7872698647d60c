import { routeHref, type SettingsTab } from '../../app/router.ts';
import { ChainsSection } from '../chains/ChainsSection.tsx';
import { ExportsSection } from '../exports/ExportsSection.tsx';
import { ApiKeysSection } from './ApiKeysSection.tsx';
import { BackupsSection } from './BackupsSection.tsx';
import { RecoverSection } from './RecoverSection.tsx';
import { WalletSection } from './WalletSection.tsx';

const tabs: { tab: SettingsTab; label: string }[] = [
  { tab: 'chains', label: 'Chains & tokens' },
  { tab: 'api-keys', label: 'API keys' },
  { tab: 'wallet', label: 'Wallet' },
  { tab: 'backups', label: 'Backups' },
  { tab: 'exports', label: 'Exports' },
];

export function SettingsScreen({ tab }: { tab: SettingsTab }) {
  return (
    <section className="page" aria-labelledby="settings-title">
      <header className="page__header">
        <h1 id="settings-title" className="page__title">
          Settings
        </h1>
      </header>
      <nav className="tabs" aria-label="Settings sections">
        {tabs.map((entry) => (
          <a
            key={entry.tab}
            className="tabs__tab"
            href={routeHref({ name: 'settings', tab: entry.tab })}
            aria-current={entry.tab === tab ? 'page' : undefined}
          >
            {entry.label}
          </a>
        ))}
      </nav>
      {tab === 'chains' && <ChainsSection />}
      {tab === 'api-keys' && <ApiKeysSection />}
      {tab === 'backups' && <BackupsSection />}
      {tab === 'exports' && <ExportsSection />}
      {tab === 'wallet' && (
        <>
          <WalletSection />
          <RecoverSection />
        </>
      )}
    </section>
  );
}
