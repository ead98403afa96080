// What the credentials page needs beyond lib/credentials.ts: the providers one can connect an
// account for (some action takes a credential) with the auth types their actions accept, and
// the workflows a 409 credential_in_use names (api/credential_routes.cpp). No fetching, no UI.
import type { Catalog } from "./types";
import { acceptedTypes } from "./credentials";

export interface ConnectableProvider {
  id: string;
  name: string;
  types: string[];
}

export function connectableProviders(catalog: Catalog): ConnectableProvider[] {
  const out: ConnectableProvider[] = [];
  for (const p of catalog.providers) {
    const types: string[] = [];
    for (const a of p.actions) for (const t of acceptedTypes(a)) if (!types.includes(t)) types.push(t);
    if (types.length > 0) out.push({ id: p.id, name: p.name, types });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface WorkflowRef {
  id: string;
  name: string;
}

// details {workflows: [{id, name}]} of a credential_in_use error; [] for anything else.
export function workflowsInUse(details: unknown): WorkflowRef[] {
  if (details === null || typeof details !== "object") return [];
  const list = (details as { workflows?: unknown }).workflows;
  if (!Array.isArray(list)) return [];
  return list.flatMap((w) =>
    w !== null && typeof w === "object" && typeof (w as WorkflowRef).id === "string"
      ? [{ id: (w as WorkflowRef).id, name: typeof (w as WorkflowRef).name === "string" ? (w as WorkflowRef).name : (w as WorkflowRef).id }]
      : [],
  );
}
