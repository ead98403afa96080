// Credentials as the inspector needs them: which auth types an action accepts (catalog
// authType + acceptedAuthTypes), which stored credentials fit a step (same provider, accepted
// type), the secret fields each type asks for (vault/auth.cpp schema_source) and the server's
// invalid_credential problems placed under those fields. No fetching, no UI.
import type { CatalogAction } from "./types";

export interface CredentialInfo {
  id: string;
  name: string;
  provider: string;
  type: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface SecretField {
  key: string;
  label: string;
  required: boolean;
}

// The secret's fields per auth type, named as vault/auth.cpp requires them.
export const SECRET_FIELDS: Record<string, SecretField[]> = {
  api_key: [{ key: "api_key", label: "API key", required: true }],
  bearer_token: [{ key: "token", label: "Token", required: true }],
  bot_token: [{ key: "bot_token", label: "Bot token", required: true }],
  oauth2: [
    { key: "access_token", label: "Access token", required: true },
    { key: "refresh_token", label: "Refresh token", required: false },
  ],
};

export const AUTH_LABELS: Record<string, string> = {
  api_key: "API key",
  bearer_token: "Bearer token",
  bot_token: "Bot token",
  oauth2: "OAuth2 tokens",
};

// The types a credential for this action may have, the action's own first; none when the
// action takes no credential (authType "none": the server refuses one).
export function acceptedTypes(action: Pick<CatalogAction, "authType" | "acceptedAuthTypes">): string[] {
  if (!action.authType || action.authType === "none") return [];
  const out = [action.authType];
  for (const t of action.acceptedAuthTypes ?? []) if (t !== "none" && !out.includes(t)) out.push(t);
  return out;
}

// Stored credentials this action can use: its provider and an accepted type.
export function credentialsFor(list: readonly CredentialInfo[], action: Pick<CatalogAction, "provider" | "authType" | "acceptedAuthTypes">): CredentialInfo[] {
  const types = acceptedTypes(action);
  return list.filter((c) => c.provider === action.provider && types.includes(c.type));
}

// The secret object for POST /api/credentials: the type's fields, empty optional ones left out.
export function buildSecret(type: string, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of SECRET_FIELDS[type] ?? []) {
    const v = values[f.key] ?? "";
    if (v !== "" || f.required) out[f.key] = v;
  }
  return out;
}

// Fields left empty that the type requires, with the words to show under each.
export function missingSecretFields(type: string, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of SECRET_FIELDS[type] ?? []) {
    if (f.required && (values[f.key] ?? "").trim() === "") out[f.key] = `${f.label} is required`;
  }
  return out;
}

export interface PlacedSecretErrors {
  // By secret field key ("api_key"); "" holds what belongs to no field.
  fields: Record<string, string>;
  general: string[];
}

// invalid_credential details [{field: "/api_key", message: "is required"}] → under the field.
export function placeSecretErrors(type: string, message: string, details: unknown): PlacedSecretErrors {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  const known = new Map((SECRET_FIELDS[type] ?? []).map((f) => [f.key, f.label]));
  if (Array.isArray(details)) {
    for (const d of details) {
      if (d === null || typeof d !== "object") continue;
      const { field, message: m } = d as { field?: unknown; message?: unknown };
      if (typeof m !== "string") continue;
      const key = typeof field === "string" ? field.replace(/^\//, "").replace(/~1/g, "/").replace(/~0/g, "~") : "";
      const label = known.get(key);
      if (label) fields[key] = fields[key] ? `${fields[key]}; ${m}` : `${label} ${m}`;
      else general.push(key ? `${key} ${m}` : m);
    }
  }
  if (Object.keys(fields).length === 0 && general.length === 0) general.push(message);
  return { fields, general };
}
