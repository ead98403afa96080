// A provider's icon from the catalog (a data: or same-origin URL); the generic icon only when
// the catalog entry has none.
interface Props {
  icon: string | null;
  label: string;
  size?: number;
}

export function ProviderIcon({ icon, label, size = 24 }: Props) {
  if (icon) return <img className="provider-icon" src={icon} alt={label} width={size} height={size} />;
  return (
    <svg className="provider-icon generic" role="img" aria-label={label} width={size} height={size} viewBox="0 0 24 24">
      <rect x="2" y="2" width="20" height="20" rx="5" fill="currentColor" opacity="0.18" />
      <path d="M8 12h8M12 8v8" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
