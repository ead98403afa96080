// Client-side navigation over the History API: the URL is the app's state (shared/UI.md).
import { useEffect, useState } from "react";
import { matchRoute, type Route } from "./lib/route";

const EVENT = "weft:navigate";

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new Event(EVENT));
}

export function useRoute(): Route {
  const read = () => matchRoute(location.pathname, location.search);
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener("popstate", update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return route;
}

// Sends the browser to sign-in, coming back here afterwards.
export function toLogin(): void {
  const here = location.pathname + location.search;
  navigate(here === "/" ? "/login" : `/login?next=${encodeURIComponent(here)}`, true);
}
