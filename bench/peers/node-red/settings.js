// Node-RED settings for bench/peers/run.sh: the runtime only (no editor, no admin API), on
// 127.0.0.1 at NODE_RED_PORT; the flow file and userDir are a temp dir the script passes with -u.
// Must not: listen beyond loopback, prompt for anything, or write outside its userDir.
module.exports = {
  uiHost: "127.0.0.1",
  uiPort: Number(process.env.NODE_RED_PORT || 1880),
  flowFile: "flows.json",
  flowFilePretty: false,
  // A fixed secret: the flow has no credentials, and this stops the "credentialSecret" warning.
  credentialSecret: "weft-bench-peers",
  httpAdminRoot: false,       // no editor and no admin API: only the flow's http in nodes
  httpNodeRoot: "/",
  disableEditor: true,
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  logging: { console: { level: "warn", metrics: false, audit: false } },
  functionExternalModules: false,
  exportGlobalContextKeys: false,
  contextStorage: { default: { module: "memory" } },
};
