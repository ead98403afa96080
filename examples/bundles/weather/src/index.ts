// The "weather" example bundle: one product with a tool that calls Open-Meteo through ctx.fetch
// and a pure tool that turns a temperature into a word. Copy this folder to start a new bundle.
import { defineProduct, defineTool, defineVendor } from "@weft/sdk";

const coordinates = {
  type: "object",
  properties: {
    latitude: { type: "number", minimum: -90, maximum: 90 },
    longitude: { type: "number", minimum: -180, maximum: 180 },
  },
  required: ["latitude", "longitude"],
  additionalProperties: false,
  // `weft bundle test --level runtime` calls a tool with the first example its schema accepts.
  examples: [{ latitude: 48.85, longitude: 2.35 }],
} as const;

const current = defineTool({
  id: "weather.current",
  name: "Current temperature",
  description: "Reads the current air temperature at a place from Open-Meteo.",
  inputSchema: coordinates,
  outputSchema: {
    type: "object",
    properties: { temperature: { type: "number" }, unit: { type: "string" } },
    required: ["temperature", "unit"],
    additionalProperties: false,
  },
  async run(input: { latitude: number; longitude: number }, ctx) {
    const url = new URL("https://api.open-meteo.com/v1/forecast");
    url.searchParams.set("latitude", String(input.latitude));
    url.searchParams.set("longitude", String(input.longitude));
    url.searchParams.set("current", "temperature_2m");
    if (ctx.auth && "api_key" in ctx.auth) url.searchParams.set("apikey", ctx.auth.api_key);

    ctx.log("info", "asking Open-Meteo for the current temperature", {
      latitude: input.latitude,
      longitude: input.longitude,
    });
    const response = await ctx.fetch(url.toString(), { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`Open-Meteo answered HTTP ${response.status}`);
    const body = await response.json();
    const temperature = body?.current?.temperature_2m;
    if (typeof temperature !== "number") throw new Error("Open-Meteo's answer has no current.temperature_2m");
    return { temperature, unit: String(body.current_units?.temperature_2m ?? "°C") };
  },
});

const describe = defineTool({
  id: "weather.describe",
  name: "Describe a temperature",
  description: "Turns a temperature in °C into a word such as \"mild\"; no network.",
  inputSchema: {
    type: "object",
    properties: { temperature: { type: "number" } },
    required: ["temperature"],
    additionalProperties: false,
    examples: [{ temperature: 21 }],
  },
  outputSchema: {
    type: "object",
    properties: { word: { type: "string" }, bytes: { type: "integer" } },
    required: ["word", "bytes"],
    additionalProperties: false,
  },
  run(input: { temperature: number }) {
    const word = wordFor(input.temperature);
    // TextEncoder is one of the sandbox globals: the UTF-8 size of the word, for the demo.
    return { word, bytes: new TextEncoder().encode(word).length };
  },
});

function wordFor(celsius: number): string {
  if (celsius < 0) return "freezing";
  if (celsius < 10) return "cold";
  if (celsius < 18) return "cool";
  if (celsius < 25) return "mild";
  if (celsius < 32) return "warm";
  return "hot";
}

export default defineVendor({
  id: "weather",
  name: "Weather",
  version: "1.0.0",
  icon: "assets/icon.svg",
  auth: { type: "api_key" },
  network: { allowedHosts: ["api.open-meteo.com"] },
  capabilities: ["tools"],
  products: [
    defineProduct({
      id: "weather-core",
      name: "Weather",
      category: "Data",
      tools: [current, describe],
    }),
  ],
});
