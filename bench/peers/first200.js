// first200.js — bench/peers' stopwatch for "start → first 200": spawns a server, POSTs BODY to
// URL every POLL_MS until one answer is a 200, prints "PID MS" and exits, leaving the server
// running (its pid is appended to PIDFILE at once, so the caller's trap can stop it). With
// FIRST200_EXPECT set, only a 200 whose body contains that text counts (n8n answers every path
// with a 200 "n8n is starting up" page while it migrates its database).
// Must not: retry forever (TIMEOUT_MS), or outlive a server that died (exits 1 when it does).
// Usage: [FIRST200_EXPECT=TEXT] node first200.js PIDFILE LOGFILE URL BODY TIMEOUT_MS -- COMMAND [ARGS...]
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const http = require("http");

const POLL_MS = 5;
const argv = process.argv.slice(2);
const sep = argv.indexOf("--");
if (sep !== 5 || argv.length < 7) {
  process.stderr.write("usage: first200.js PIDFILE LOGFILE URL BODY TIMEOUT_MS -- COMMAND [ARGS...]\n");
  process.exit(2);
}
const [pidFile, logFile, url, body, timeoutText] = argv;
const [command, ...args] = argv.slice(sep + 1);
const timeoutMs = Number(timeoutText);
const expect = process.env.FIRST200_EXPECT || "";
const log = fs.openSync(logFile, "a");

const started = process.hrtime.bigint();
const child = spawn(command, args, { stdio: ["ignore", log, log], env: process.env });
fs.appendFileSync(pidFile, `${child.pid}\n`);
child.unref();
const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;

child.on("exit", (code, signal) => {
  process.stderr.write(`first200: ${command} exited (${signal || code}) before answering 200\n`);
  process.exit(1);
});

function poll() {
  if (elapsedMs() > timeoutMs) {
    process.stderr.write(`first200: no 200 from ${url} within ${timeoutMs} ms\n`);
    process.exit(1);
  }
  const req = http.request(url, {
    method: "POST",
    agent: false,
    headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
  }, (res) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk) => { if (expect) text += chunk; });
    res.on("end", () => {
      if (res.statusCode === 200 && text.includes(expect)) {
        process.stdout.write(`${child.pid} ${elapsedMs().toFixed(1)}\n`);
        process.exit(0);
      }
      setTimeout(poll, POLL_MS);
    });
  });
  req.on("error", () => setTimeout(poll, POLL_MS));
  req.end(body);
}
poll();
