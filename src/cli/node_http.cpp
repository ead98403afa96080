#include "cli/node_http.h"

#include <sys/resource.h>

#include <sstream>
#include <stdexcept>

namespace weft::cli {

namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

Result<std::pair<std::string, int>> parse_listen(const std::string& listen, const std::string& flag) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error::make("invalid_input", flag + " must be host:port, e.g. 127.0.0.1:8080");
  }
  try {
    std::size_t used = 0;
    const std::string port_text = listen.substr(colon + 1);
    const int port = std::stoi(port_text, &used);
    if (used != port_text.size() || port < 0 || port > 65535) throw std::out_of_range("port");
    return std::make_pair(listen.substr(0, colon), port);
  } catch (...) {
    return Error::make("invalid_input", flag + " has an invalid port: " + listen);
  }
}

api::Services node_services(const Config& config, App& app, RunEngine& engine) {
  auto& pool = engine.pool;
  api::Services services{config,
                         *app.store,
                         app.catalog,
                         *app.vault,
                         *app.credentials,
                         *app.accounts,
                         engine.events,
                         [&pool] { pool.wake(); },
                         [&pool](const RunId& id) { pool.cancel_local(id); },
                         nullptr,
                         SystemClock::instance(),
                         "",
                         app.bundles.get(),
                         nullptr,
                         std::make_shared<engine::WorkflowVersions>(),
                         nullptr,
                         [&engine, &app] { return engine.prometheus_text(app); }};
  return services;
}

api::ServerOptions node_server_options(const Config& config, const std::pair<std::string, int>& listen) {
  api::ServerOptions options;
  options.host = listen.first;
  options.port = listen.second;
  options.threads = config.http_threads;
  options.network_threads = config.network_threads;
  options.allowed_origins = split_commas(config.allowed_origins);
  options.trust_proxy = config.trust_proxy;
  options.max_streams_per_user = static_cast<std::size_t>(config.max_streams_per_user);
  return options;
}

void raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace weft::cli
