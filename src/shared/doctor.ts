/** `till doctor` and the Doctor screen: one line per check. */
export const DoctorLevels = ['ok', 'warning', 'problem'] as const;
export type DoctorLevel = (typeof DoctorLevels)[number];

export interface DoctorCheck {
  /** Stable, for scripts: "database.integrity", "chain.8453.rpc.1", "ledger.8453", … */
  id: string;
  area: 'database' | 'vault' | 'chains' | 'ledger' | 'webhooks' | 'sweeps' | 'till';
  level: DoctorLevel;
  title: string;
  detail: string;
  /** What to do, for a warning or a problem. */
  remedy: string | null;
}

/** A deposit address whose balance on chain is not what the store's payments and sweeps say. */
export interface LedgerDifference {
  chainId: number;
  address: string;
  token: string;
  invoiceId: string | null;
  /** Decimal, in token units (base units when the token's decimals are unknown). */
  expected: string;
  actual: string;
  /** More on chain than recorded (an unrecorded arrival), or less (funds left without Till). */
  kind: 'more' | 'less';
  remedy: string;
}

export interface DoctorReport {
  generatedAt: string;
  version: string;
  level: DoctorLevel;
  checks: DoctorCheck[];
  differences: LedgerDifference[];
}
