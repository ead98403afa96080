// The app's routes (shared/UI.md): the URL is the state. Matching only; navigation is the
// History API in the app.

export type Route =
  | { name: "setup" }
  | { name: "login"; next?: string }
  | { name: "workflows" }
  | { name: "builder"; id: string }
  | { name: "newWorkflow" }
  | { name: "runs"; search: string }
  | { name: "run"; id: string }
  | { name: "credentials" }
  | { name: "tokens" }
  | { name: "members" }
  | { name: "notFound"; path: string };

const ID = /^[A-Za-z0-9_-]{1,128}$/;

export function matchRoute(pathname: string, search = ""): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { name: "workflows" };
  if (path === "/setup") return { name: "setup" };
  if (path === "/login") {
    const next = new URLSearchParams(search).get("next");
    // Only a path of this app: never an absolute or protocol-relative URL.
    return next && next.startsWith("/") && !next.startsWith("//") ? { name: "login", next } : { name: "login" };
  }
  if (path === "/workflows/new") return { name: "newWorkflow" };
  if (path === "/runs") return { name: "runs", search };
  if (path === "/credentials") return { name: "credentials" };
  if (path === "/settings/tokens") return { name: "tokens" };
  if (path === "/settings/members") return { name: "members" };
  const m = /^\/workflows\/([^/]+)$/.exec(path);
  if (m && ID.test(m[1]!)) return { name: "builder", id: m[1]! };
  const r = /^\/runs\/([^/]+)$/.exec(path);
  if (r && ID.test(r[1]!)) return { name: "run", id: r[1]! };
  return { name: "notFound", path };
}
