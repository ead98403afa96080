// @weft/sdk — types for writing a Weft custom integration (bundle), and the globals the Weft
// sandbox provides to bundle code.
//
// A bundle runs in a bare V8 isolate, not in Node or a browser. It has ONLY the globals declared
// at the bottom of this file. There is no `require`, `process`, `Buffer`, file system, sockets,
// `eval`/`new Function`, `WebAssembly`, or `import` of anything at run time: every dependency is
// inlined by `weft-bundle build`, and the network is reached only through `ctx.fetch`, to the
// hosts listed in `network.allowedHosts`. Type-check bundle code with `"lib": ["ES2022"]` and
// `"types": []` (no DOM, no @types/node) so the compiler flags anything the sandbox lacks.

// ---------------------------------------------------------------------------------------------
// JSON

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A JSON Schema object (draft 7 / 2019-09 keywords); the host validates inputs and outputs with it. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonSchemaType | readonly JsonSchemaType[];
  enum?: readonly JsonValue[];
  const?: JsonValue;
  default?: JsonValue;
  examples?: readonly JsonValue[];
  properties?: { readonly [name: string]: JsonSchema };
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | readonly JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  oneOf?: readonly JsonSchema[];
  anyOf?: readonly JsonSchema[];
  allOf?: readonly JsonSchema[];
  not?: JsonSchema;
  [keyword: string]: unknown;
}
export type JsonSchemaType = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";

// ---------------------------------------------------------------------------------------------
// Run context

export type LogLevel = "debug" | "info" | "warn" | "error";

/** The answer of ctx.fetch. Header names are lower-case. */
export interface WeftResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface WeftFetchInit {
  method?: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
  headers?: Record<string, string>;
  /** A string is sent as is; an object is sent as JSON (with content-type application/json). */
  body?: string | JsonObject | JsonValue[];
  /** Capped by the organization's execution policy. */
  timeoutMs?: number;
}

/** The secret of the credential chosen for this step, by auth type (DESIGN.md §3 "Credential"). */
export type ApiKeyCredential = { api_key: string };
export type BearerTokenCredential = { token: string };
export type OAuth2Credential = {
  access_token: string;
  refresh_token?: string;
  expires_at?: string | number;
  token_type?: string;
  scope?: string;
};
export type BotTokenCredential = { bot_token: string };
export type WeftCredential = ApiKeyCredential | BearerTokenCredential | OAuth2Credential | BotTokenCredential;

/** The second argument of every run function. */
export interface WeftContext {
  /** The step's credential secret, or null when the vendor's auth type is "none" or none was chosen. */
  readonly auth: WeftCredential | null;
  readonly ids: { readonly orgId: string; readonly runId: string; readonly stepId: string };
  /** `runId:stepId:attempt` (DESIGN.md §3 "Run"): pass it on to APIs that deduplicate requests. */
  readonly idempotencyKey: string;
  /** Adds a line to the step's log. `fields` must be JSON. */
  log(level: LogLevel, message: string, fields?: JsonObject): void;
  /** An HTTP request carried out by the host, only to the vendor's network.allowedHosts. */
  fetch(url: string, init?: WeftFetchInit): Promise<WeftResponse>;
}

// ---------------------------------------------------------------------------------------------
// Definitions

/** A block id: "<vendorId>.<name>". */
export type BlockId = `${string}.${string}`;

export type RunFunction<Input, Output extends JsonValue> = (
  input: Input,
  ctx: WeftContext,
) => Output | Promise<Output>;

interface BlockSpec<Id extends BlockId, Input, Output extends JsonValue> {
  /** The full block id, "<vendorId>.<name>" — it must start with the vendor's id. */
  id: Id;
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  /** Receives the step input (already validated against inputSchema) and returns JSON. */
  run: RunFunction<Input, Output>;
}

export interface ToolSpec<Id extends BlockId, Input, Output extends JsonValue>
  extends BlockSpec<Id, Input, Output> {
  /** The palette section; "tools" when omitted. */
  category?: "tools" | "blocks";
}

/** One item a trigger's poll found: a JSON object with an `id` (a non-empty string or an integer). */
export type PollItem = { readonly id: string | number } & JsonObject;

/** What a trigger's poll answers: the items it sees now (newest first, at most 1,000) and the
 * cursor the next poll gets as ctx.state (JSON, at most 64 KiB; omitted means null). */
export interface PollResult<Item extends PollItem = PollItem> {
  items: Item[];
  state?: JsonValue;
}

/** A trigger's ctx: a step's, plus the cursor its previous poll returned (null at the first). */
export interface WeftTriggerContext extends WeftContext {
  readonly state: JsonValue;
}

export type PollFunction<Input, Item extends PollItem> = (
  input: Input,
  ctx: WeftTriggerContext,
) => PollResult<Item> | Promise<PollResult<Item>>;

export interface TriggerSpec<Id extends BlockId, Input, Output extends PollItem = PollItem>
  extends Omit<BlockSpec<Id, Input, JsonValue>, "run"> {
  /** Polls the source: each item whose id was not seen before starts one run with the item as
   * `trigger`. The first poll after the trigger is set only records the ids (no run). */
  run: PollFunction<Input, Output>;
}

export interface ToolDescriptor<Id extends BlockId = BlockId, Input = any, Output extends JsonValue = JsonValue> {
  readonly kind: "tool";
  readonly id: Id;
  readonly name: string;
  readonly description: string;
  readonly category: "tools" | "blocks";
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  readonly run: RunFunction<Input, Output>;
}

export interface TriggerDescriptor<Id extends BlockId = BlockId, Input = any, Output extends PollItem = PollItem> {
  readonly kind: "trigger";
  readonly id: Id;
  readonly name: string;
  readonly description: string;
  readonly category: "triggers";
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  /** The poll, wrapped so that an answer breaking the contract throws a TypeError. */
  readonly run: PollFunction<Input, Output>;
}

/** A package the product relies on, with a human reason (shown to admins beside the SBOM). */
export interface DeclaredDependency {
  name: string;
  version: string;
  reason: string;
}

export interface ProductSpec<Id extends BlockId> {
  id: string;
  name: string;
  /** The product's category in the catalog; "Other" when omitted. */
  category?: string;
  dependencies?: readonly DeclaredDependency[];
  tools: readonly ToolDescriptor<Id, any, any>[];
  triggers?: readonly TriggerDescriptor<Id, any, any>[];
}

export interface ProductDescriptor<Id extends BlockId = BlockId> {
  readonly kind: "product";
  readonly id: string;
  readonly name: string;
  readonly category: string | undefined;
  readonly dependencies: readonly DeclaredDependency[];
  readonly tools: readonly ToolDescriptor<Id, any, any>[];
  readonly triggers: readonly TriggerDescriptor<Id, any, any>[];
}

export type AuthType = "none" | "api_key" | "bearer_token" | "oauth2" | "bot_token";

export type AuthSpec =
  | { type: "none" }
  | { type: "api_key"; /** Where the key goes, for the UI's help text. */ headerName?: string; [key: string]: unknown }
  | { type: "bearer_token"; [key: string]: unknown }
  | { type: "oauth2"; authorizeUrl: string; tokenUrl: string; scopes?: readonly string[]; [key: string]: unknown }
  | { type: "bot_token"; [key: string]: unknown };

export interface VendorSpec<VendorId extends string> {
  /** Lower-case vendor id: /^[a-z][a-z0-9-]*$/. Every block id starts with "<id>.". */
  id: VendorId;
  name: string;
  /** The bundle version, e.g. "1.0.0". */
  version: string;
  /** A URL (https: or data:) or a path into the bundle, e.g. "assets/icon.svg". */
  icon?: string;
  auth: AuthSpec;
  /** Bare host names ctx.fetch may reach. None when omitted. */
  network?: { allowedHosts: readonly string[] };
  /** Runtime capabilities the bundle asks for; ["tools"] when omitted. */
  capabilities?: readonly string[];
  products: readonly ProductDescriptor<`${NoInfer<VendorId>}.${string}`>[];
}

/** The validated definition; build tools read it to write manifest.json. */
export interface VendorDefinition<VendorId extends string = string> {
  readonly id: VendorId;
  readonly name: string;
  readonly version: string;
  readonly icon?: string;
  readonly auth: AuthSpec;
  readonly network: { readonly allowedHosts: readonly string[] };
  readonly capabilities: readonly string[];
  readonly products: readonly {
    readonly id: string;
    readonly name: string;
    readonly category: string;
    readonly dependencies: readonly DeclaredDependency[];
    readonly tools: readonly ToolDescriptor<`${VendorId}.${string}`, any, any>[];
    readonly triggers: readonly TriggerDescriptor<`${VendorId}.${string}`, any, any>[];
  }[];
}

/** What a bundle's dist/index.js must export as default. */
export interface Vendor<VendorId extends string = string> {
  readonly id: VendorId;
  /** Every tool's and trigger's run function, keyed by its block id. */
  readonly tools: { readonly [blockId: string]: RunFunction<any, JsonValue> | PollFunction<any, PollItem> };
  readonly definition: VendorDefinition<VendorId>;
}

export function defineTool<Id extends BlockId, Input = any, Output extends JsonValue = JsonValue>(
  spec: ToolSpec<Id, Input, Output>,
): ToolDescriptor<Id, Input, Output>;

/** Items one poll may return, and the largest cursor (bytes of JSON). */
export const MAX_POLL_ITEMS: 1000;
export const MAX_POLL_STATE_BYTES: 65536;

export function defineTrigger<Id extends BlockId, Input = any, Output extends PollItem = PollItem>(
  spec: TriggerSpec<Id, Input, Output>,
): TriggerDescriptor<Id, Input, Output>;

export function defineProduct<Id extends BlockId>(spec: ProductSpec<Id>): ProductDescriptor<Id>;

/**
 * Validates the whole definition (throws a TypeError listing every problem) and returns the
 * bundle's default export: `export default defineVendor({ ... })`.
 */
export function defineVendor<VendorId extends string>(spec: VendorSpec<VendorId>): Vendor<VendorId>;

// ---------------------------------------------------------------------------------------------
// Sandbox globals: the complete list of what bundle code may use besides ES2022 itself.

declare global {
  function setTimeout<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): number;
  function clearTimeout(id: number | undefined): void;
  function setInterval<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): number;
  function clearInterval(id: number | undefined): void;
  function queueMicrotask(callback: () => void): void;

  interface WeftConsole {
    log(...data: unknown[]): void;
    info(...data: unknown[]): void;
    warn(...data: unknown[]): void;
    error(...data: unknown[]): void;
    debug(...data: unknown[]): void;
  }
  var console: WeftConsole;

  type WeftIntegerArray =
    | Int8Array
    | Uint8Array
    | Uint8ClampedArray
    | Int16Array
    | Uint16Array
    | Int32Array
    | Uint32Array
    | BigInt64Array
    | BigUint64Array;
  interface WeftCrypto {
    /** Fills `array` with cryptographically strong random values and returns it. */
    getRandomValues<T extends WeftIntegerArray>(array: T): T;
    randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
  }
  var crypto: WeftCrypto;

  class TextEncoder {
    readonly encoding: "utf-8";
    encode(input?: string): Uint8Array;
    encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
  }
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
    readonly encoding: string;
    readonly fatal: boolean;
    readonly ignoreBOM: boolean;
    decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
  }

  class URLSearchParams {
    constructor(init?: string | Record<string, string> | [string, string][] | URLSearchParams);
    readonly size: number;
    append(name: string, value: string): void;
    delete(name: string, value?: string): void;
    get(name: string): string | null;
    getAll(name: string): string[];
    has(name: string, value?: string): boolean;
    set(name: string, value: string): void;
    sort(): void;
    toString(): string;
    forEach(callback: (value: string, name: string, params: URLSearchParams) => void): void;
    entries(): IterableIterator<[string, string]>;
    keys(): IterableIterator<string>;
    values(): IterableIterator<string>;
    [Symbol.iterator](): IterableIterator<[string, string]>;
  }
  class URL {
    constructor(url: string | URL, base?: string | URL);
    static canParse(url: string | URL, base?: string | URL): boolean;
    hash: string;
    host: string;
    hostname: string;
    href: string;
    readonly origin: string;
    password: string;
    pathname: string;
    port: string;
    protocol: string;
    search: string;
    readonly searchParams: URLSearchParams;
    username: string;
    toString(): string;
    toJSON(): string;
  }

  /** Decodes base64 to a "binary string" (one char per byte). */
  function atob(data: string): string;
  /** Encodes a "binary string" (chars U+0000..U+00FF) as base64. */
  function btoa(data: string): string;
  function structuredClone<T>(value: T): T;
}
