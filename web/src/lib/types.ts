// The API's shapes as the web app reads them: GET /api/catalog (catalog/action.cpp to_json) and
// the workflow document (engine/workflow.cpp). Types only: no logic, no fetching.

export type ActionKind = "tool" | "block" | "trigger";

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  examples?: unknown[];
  [keyword: string]: unknown;
}

export interface ActionDisplay {
  title: string;
  description: string;
  icon: string;
  category: string;
}

export interface CatalogAction {
  key: string;
  name: string;
  provider: string;
  authType: string;
  acceptedAuthTypes: string[];
  kind: ActionKind;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  display: ActionDisplay;
}

export interface CatalogProvider {
  id: string;
  name: string;
  icon: string;
  category: string;
  version?: string;
  origin?: string;
  actions: CatalogAction[];
}

export interface Catalog {
  providers: CatalogProvider[];
}

export type TriggerType = "manual" | "webhook" | "schedule";

export interface WorkflowTrigger {
  type?: TriggerType;
  cron?: string;
  timezone?: string;
}

export interface Position {
  x: number;
  y: number;
}

export interface RetryPolicy {
  maxAttempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface WorkflowStep {
  id: string;
  action: string;
  name?: string;
  credential?: string | null;
  inputs?: Record<string, unknown>;
  after?: string[];
  if?: unknown;
  retry?: RetryPolicy;
  timeoutMs?: number;
  position?: Position;
}

export interface WorkflowDocument {
  name: string;
  description?: string;
  trigger?: WorkflowTrigger;
  steps: WorkflowStep[];
  output?: unknown;
}
