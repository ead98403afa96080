// The app's top bar: home link and sign-out.
import type { ReactNode } from "react";
import { api } from "../api";
import { navigate } from "../navigation";

export function TopBar({ children }: { children?: ReactNode }) {
  return (
    <header className="topbar">
      <a
        href="/"
        className="brand"
        onClick={(e) => {
          e.preventDefault();
          navigate("/");
        }}
      >
        Weft
      </a>
      <div className="topbar-middle">{children}</div>
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
