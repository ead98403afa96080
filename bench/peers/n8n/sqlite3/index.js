// bench/peers/n8n/sqlite3 — `require("sqlite3")` for n8n: @appthreat/sqlite3 is an ES module
// whose default export is node-sqlite3's module object (Database, verbose(), cached, OPEN_*).
"use strict";
module.exports = require("@appthreat/sqlite3").default;
