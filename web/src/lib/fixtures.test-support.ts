// A catalog in the shape GET /api/catalog returns (catalog/action.cpp to_json), built here for
// the tests: two integrations, the core blocks, a bundle with a trigger and a provider without
// an icon.
import type { Catalog, CatalogAction, JsonSchema } from "./types";

function action(
  provider: string,
  name: string,
  kind: CatalogAction["kind"],
  title: string,
  description: string,
  inputSchema: JsonSchema = { type: "object", properties: {} },
  outputSchema: JsonSchema = {},
  icon = "",
): CatalogAction {
  return {
    key: `${provider}.${name}`,
    name: title,
    provider,
    authType: "none",
    acceptedAuthTypes: [],
    kind,
    inputSchema,
    outputSchema,
    display: { title, description, icon, category: "" },
  };
}

export const slackSend = action(
  "slack",
  "sendMessage",
  "tool",
  "Send message",
  "Post a message to a channel in a connected Slack workspace.",
  {
    type: "object",
    additionalProperties: false,
    anyOf: [{ required: ["text"] }, { required: ["blocks"] }],
    required: ["channel"],
    properties: {
      blocks: { type: "array", description: "Block Kit blocks.", items: { type: "object" } },
      channel: { type: "string", minLength: 1, description: "Channel id or name (#ops)." },
      text: { type: "string", description: "Message text (mrkdwn)." },
      unfurl_links: { type: "boolean", description: "Unfurl links in the text." },
    },
  },
  {
    type: "object",
    required: ["ok", "channel", "ts"],
    properties: { channel: { type: "string" }, message: { type: "object" }, ok: { type: "boolean" }, ts: { type: "string" } },
  },
  "data:image/svg+xml;base64,U0xBQ0s=",
);

export const httpRequest = action(
  "http",
  "request",
  "tool",
  "HTTP request",
  "Call any URL and use its status, headers and body.",
  {
    type: "object",
    additionalProperties: false,
    required: ["url"],
    properties: {
      body: { description: "Objects and arrays are sent as JSON; a string is sent as-is." },
      headers: { type: "object", additionalProperties: { type: "string" }, description: "Request headers." },
      method: { type: "string", default: "GET", enum: ["GET", "POST", "PUT"] },
      query: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
      timeoutMs: { type: "integer", minimum: 1, maximum: 3600000 },
      url: { type: "string", description: "An http:// or https:// URL." },
    },
  },
  {
    type: "object",
    additionalProperties: false,
    properties: {
      body: { description: "Parsed JSON for a JSON response, else the text." },
      headers: { type: "object", additionalProperties: { type: "string" } },
      status: { type: "integer" },
    },
  },
);

export const catalog: Catalog = {
  providers: [
    {
      id: "slack",
      name: "Slack",
      icon: "data:image/svg+xml;base64,UFJPVklERVI=",
      category: "Communication",
      actions: [slackSend],
    },
    {
      id: "http",
      name: "HTTP",
      icon: "data:image/svg+xml;base64,SFRUUA==",
      category: "Developer tools",
      actions: [httpRequest],
    },
    {
      id: "core",
      name: "Core",
      icon: "data:image/svg+xml;base64,Q09SRQ==",
      category: "Core",
      actions: [
        action("core", "transform", "block", "Transform", "Build a new value from earlier steps' outputs with templates.", {
          type: "object",
          required: ["value"],
          properties: { value: { description: "Any JSON." } },
        }),
        action("core", "delay", "block", "Delay", "Wait before the next step."),
      ],
    },
    {
      id: "acmecrm",
      name: "Acme CRM",
      icon: "",
      category: "Sales",
      origin: "uploaded",
      version: "1.2.0",
      actions: [
        action("acmecrm", "newLead", "trigger", "New lead", "Starts when a lead is created in Acme CRM."),
        action("acmecrm", "createContact", "tool", "Create contact", "Add a contact; send a message to sales when done."),
      ],
    },
  ],
};
