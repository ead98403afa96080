// The catalog as the builder reads it: look-ups for node chrome (icon, provider name, action
// title), the Add step chooser's groups (Integrations / Blocks / Triggers from each action's
// `kind`) and its ranked search. Pure functions over GET /api/catalog; nothing is hard-coded
// per provider, so an installed bundle shows up with no change here.
import type { ActionKind, Catalog, CatalogAction, CatalogProvider, TriggerType } from "./types";

export interface ActionEntry {
  action: CatalogAction;
  provider: CatalogProvider | undefined;
}

export interface CatalogIndex {
  actions: Map<string, ActionEntry>;
  providers: Map<string, CatalogProvider>;
}

export function indexCatalog(catalog: Catalog): CatalogIndex {
  const actions = new Map<string, ActionEntry>();
  const providers = new Map<string, CatalogProvider>();
  for (const provider of catalog.providers) {
    providers.set(provider.id, provider);
    for (const action of provider.actions) actions.set(action.key, { action, provider });
  }
  return { actions, providers };
}

export interface StepChrome {
  // null → draw the generic icon: neither the action nor its provider has one.
  icon: string | null;
  providerName: string;
  title: string;
  known: boolean;
}

// What a node shows for an action key. An unknown key (a removed bundle, a typo) still gets a
// readable label from its "provider.action" parts.
export function stepChrome(index: CatalogIndex, actionKey: string): StepChrome {
  const entry = index.actions.get(actionKey);
  if (entry) {
    const icon = entry.action.display.icon || entry.provider?.icon || null;
    return {
      icon,
      providerName: entry.provider?.name || entry.action.provider,
      title: entry.action.display.title || entry.action.name || entry.action.key,
      known: true,
    };
  }
  const dot = actionKey.indexOf(".");
  const providerId = dot > 0 ? actionKey.slice(0, dot) : actionKey;
  const provider = index.providers.get(providerId);
  return {
    icon: provider?.icon || null,
    providerName: provider?.name || providerId,
    title: dot > 0 ? actionKey.slice(dot + 1) : actionKey,
    known: false,
  };
}

export type GroupId = "integrations" | "blocks" | "triggers";

export const GROUP_LABELS: Record<GroupId, string> = {
  integrations: "Integrations",
  blocks: "Blocks",
  triggers: "Triggers",
};

const GROUP_ORDER: GroupId[] = ["integrations", "blocks", "triggers"];

export function groupOfKind(kind: ActionKind | string): GroupId {
  if (kind === "block") return "blocks";
  if (kind === "trigger") return "triggers";
  return "integrations";
}

export interface ChooserItem {
  // The action key, or "trigger:<type>" for a built-in trigger.
  id: string;
  group: GroupId;
  providerId: string;
  providerName: string;
  title: string;
  description: string;
  icon: string | null;
  actionKey?: string;
  triggerType?: TriggerType;
}

export interface ChooserGroup {
  id: GroupId;
  label: string;
  items: ChooserItem[];
}

// The workflow's own trigger types (engine/workflow.cpp): they are not catalog actions but a
// user picks them from the same Triggers group.
export const BUILTIN_TRIGGERS: ChooserItem[] = [
  { type: "manual", title: "Manual", description: "Run from the builder, the API or the CLI." },
  { type: "webhook", title: "Webhook", description: "Run when a request reaches the workflow's secret URL." },
  { type: "schedule", title: "Schedule", description: "Run on a cron schedule." },
].map(({ type, title, description }) => ({
  id: `trigger:${type}`,
  group: "triggers" as const,
  providerId: "weft",
  providerName: "Trigger",
  title,
  description,
  icon: null,
  triggerType: type as TriggerType,
}));

export function chooserItems(catalog: Catalog, extra: ChooserItem[] = []): ChooserItem[] {
  const out: ChooserItem[] = [];
  for (const provider of catalog.providers) {
    for (const action of provider.actions) {
      out.push({
        id: action.key,
        group: groupOfKind(action.kind),
        providerId: provider.id,
        providerName: provider.name || provider.id,
        title: action.display.title || action.name || action.key,
        description: action.display.description || "",
        icon: action.display.icon || provider.icon || null,
        actionKey: action.key,
      });
    }
  }
  return out.concat(extra);
}

function byProviderThenTitle(a: ChooserItem, b: ChooserItem): number {
  return (
    a.providerName.localeCompare(b.providerName, undefined, { sensitivity: "base" }) ||
    a.title.localeCompare(b.title, undefined, { sensitivity: "base" }) ||
    a.id.localeCompare(b.id)
  );
}

function toGroups(items: ChooserItem[], order: (a: ChooserItem, b: ChooserItem) => number): ChooserGroup[] {
  return GROUP_ORDER.map((id) => ({
    id,
    label: GROUP_LABELS[id],
    items: items.filter((i) => i.group === id).sort(order),
  })).filter((g) => g.items.length > 0);
}

export function groupItems(items: ChooserItem[]): ChooserGroup[] {
  return toGroups(items, byProviderThenTitle);
}

function fold(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function wordStarts(text: string, token: string): boolean {
  // "sendMessage" and "send message" both start a word with "mess".
  const spaced = text.replace(/([a-z])([A-Z])/g, "$1 $2");
  return fold(spaced)
    .split(/[^a-z0-9]+/)
    .some((w) => w.startsWith(token));
}

// The score of one query token against one item; 0 means the token matches nowhere.
function tokenScore(item: ChooserItem, token: string): number {
  const title = fold(item.title);
  const provider = fold(item.providerName);
  const providerId = fold(item.providerId);
  if (title === token) return 100;
  if (provider === token || providerId === token) return 90;
  if (title.startsWith(token)) return 80;
  if (provider.startsWith(token) || providerId.startsWith(token)) return 70;
  if (wordStarts(item.title, token)) return 60;
  if (wordStarts(item.providerName, token)) return 50;
  if (title.includes(token)) return 40;
  if (provider.includes(token)) return 30;
  if (fold(item.id).includes(token)) return 25;
  if (wordStarts(item.description, token)) return 15;
  if (fold(item.description).includes(token)) return 10;
  return 0;
}

// Every token must match somewhere (provider, action title, key or description); the score adds
// up, so "slack send" ranks Slack · Send message above a description that merely says "send".
export function scoreItem(item: ChooserItem, query: string): number {
  const tokens = fold(query).split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return 1;
  let total = 0;
  for (const token of tokens) {
    const s = tokenScore(item, token);
    if (s === 0) return 0;
    total += s;
  }
  return total;
}

// The chooser's groups for a query: an empty query lists everything by provider and title; else
// only matching items, best first within each group. Empty groups are left out.
export function searchItems(items: ChooserItem[], query: string): ChooserGroup[] {
  if (query.trim() === "") return groupItems(items);
  const scores = new Map<string, number>();
  const hits: ChooserItem[] = [];
  for (const item of items) {
    const s = scoreItem(item, query);
    if (s > 0) {
      scores.set(item.id, s);
      hits.push(item);
    }
  }
  return toGroups(hits, (a, b) => (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0) || byProviderThenTitle(a, b));
}
