// http_load — a small closed-loop HTTP load generator for Weft's benchmarks: C connections
// (keep-alive), each sending POSTs back to back for D seconds; prints requests/s and latency
// percentiles as JSON. Usage: http_load HOST PORT PATH CONCURRENCY SECONDS [BODY]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s HOST PORT PATH CONCURRENCY SECONDS [BODY]\n", argv[0]);
    return 2;
  }
  const std::string host = argv[1], path = argv[3];
  const int port = std::stoi(argv[2]), concurrency = std::stoi(argv[4]);
  const double seconds = std::stod(argv[5]);
  const std::string body = argc > 6 ? argv[6] : "{}";

  using clock = std::chrono::steady_clock;
  const auto end = clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::vector<double>> latencies(concurrency);
  std::atomic<long> errors{0}, non2xx{0};
  std::vector<std::thread> threads;
  const auto started = clock::now();
  for (int c = 0; c < concurrency; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client(host, port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(30, 0);
      auto& mine = latencies[c];
      mine.reserve(100000);
      while (clock::now() < end) {
        const auto t0 = clock::now();
        auto res = client.Post(path, body, "application/json");
        const double ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
        if (!res) {
          ++errors;
          continue;
        }
        if (res->status < 200 || res->status >= 300) ++non2xx;
        mine.push_back(ms);
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(clock::now() - started).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))]; };
  std::printf("{\"requests\":%zu,\"seconds\":%.2f,\"rps\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
              "\"max_ms\":%.3f,\"errors\":%ld,\"non2xx\":%ld,\"concurrency\":%d}\n",
              all.size(), elapsed, all.size() / elapsed, pct(0.50), pct(0.90), pct(0.99),
              all.empty() ? 0.0 : all.back(), errors.load(), non2xx.load(), concurrency);
  return errors.load() == 0 && non2xx.load() == 0 ? 0 : 1;
}
