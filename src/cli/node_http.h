// cli/node_http.h — owns what `weft serve` and `weft worker --listen` share to answer HTTP:
// parsing a host:port, the API's services wired to this process's app and run engine, and the
// server options read from the config. Starts no server and adds no route of its own.
#pragma once

#include <string>
#include <utility>

#include "api/context.h"
#include "api/server.h"
#include "cli/app.h"
#include "cli/run_engine.h"

namespace weft::cli {

// "host:port" (IPv6 hosts as "[::1]:8080" or "::1:8080": the last colon splits). Errors:
// invalid_input, naming `flag`.
Result<std::pair<std::string, int>> parse_listen(const std::string& listen, const std::string& flag = "--listen");

// The services every node's handlers see: the app's store, catalog, vault and accounts, the
// engine's events, wake and cancel, and /metrics from the engine. The caller adds the rest
// (setup token, webhook runs here, advisory hooks).
api::Services node_services(const Config& config, App& app, RunEngine& engine);

// Listening address, handler and network threads, allowed origins and proxy trust from `config`.
api::ServerOptions node_server_options(const Config& config, const std::pair<std::string, int>& listen);

// Every open connection, stream and waiting webhook holds a descriptor: use the hard limit.
void raise_open_file_limit();

}  // namespace weft::cli
