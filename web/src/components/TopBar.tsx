// The app's top bar: home link, the pages (when no page-specific content is given), the
// organization switcher, sign-out.
import type { ReactNode } from "react";
import { api } from "../api";
import { navigate } from "../navigation";
import { Link } from "./Link";
import { OrgSwitcher } from "./OrgSwitcher";

const PAGES: [string, string, string][] = [
  ["/", "Workflows", "nav-workflows"],
  ["/runs", "Runs", "nav-runs"],
  ["/credentials", "Credentials", "nav-credentials"],
  ["/settings/members", "Members", "nav-members"],
  ["/settings/tokens", "API tokens", "nav-tokens"],
];

export function TopBar({ children }: { children?: ReactNode }) {
  const here = typeof location === "undefined" ? "" : location.pathname;
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        Weft
      </Link>
      <div className="topbar-middle">
        {children ?? (
          <nav className="row" aria-label="Pages">
            {PAGES.map(([href, label, testId]) => (
              <Link key={href} href={href} data-testid={testId} aria-current={here === href ? "page" : undefined}>
                {label}
              </Link>
            ))}
          </nav>
        )}
      </div>
      {children ? null : <OrgSwitcher />}
      <button
        type="button"
        className="quiet"
        onClick={() => {
          api.logout().finally(() => navigate("/login", true));
        }}
      >
        Sign out
      </button>
    </header>
  );
}
