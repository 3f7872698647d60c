export function Logo() {
  return (
    <span className="logo">
      <svg className="logo__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect x="1" y="1" width="30" height="30" rx="9" fill="currentColor" />
        <path d="M10 11h12M16 11v12" stroke="var(--accent-contrast)" strokeWidth="3" strokeLinecap="round" fill="none" />
      </svg>
      <span className="logo__word">Till</span>
    </span>
  );
}
