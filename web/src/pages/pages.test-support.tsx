// Shared set-up of the page tests: the whole App mounted at a URL (so routes, links and
// navigation are the real ones), console.error failing the test, and clean-up between tests.
import { act } from "react";
import { afterEach, beforeEach, expect, vi } from "vitest";
import { App } from "../App";
import { createHost, mount, type Mounted } from "../builder/testing.test-support";

export function usePageHost(): { current: Mounted } {
  const m = { current: undefined as unknown as Mounted };
  let consoleError: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    m.current = createHost();
    consoleError = vi.spyOn(console, "error");
  });
  afterEach(() => {
    act(() => m.current.root.unmount());
    m.current.host.remove();
    localStorage.clear();
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
  return m;
}

export async function mountAt(m: Mounted, url: string) {
  history.replaceState(null, "", url);
  await mount(m, <App />);
}

export function rows(host: ParentNode, prefix: string): string[] {
  return [...host.querySelectorAll(`[data-testid^="${prefix}"]`)].map((r) => r.getAttribute("data-testid")!.slice(prefix.length));
}

export function alerts(host: ParentNode): string[] {
  return [...host.querySelectorAll('[role="alert"]')].map((a) => a.textContent ?? "");
}
