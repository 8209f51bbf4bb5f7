// Load driver for verun-log over HTTP (DESIGN.md §6, bench/RESULTS.md "log"):
// registers one sim runner, then C concurrent clients (keep-alive, one
// connection each) POST receipts signed by that runner's key for S seconds;
// every receipt costs the log one Ed25519 verification at admission (plus
// JSON, JCS, dedup, sequencing and the durable batch commit before the
// answer). The receipts are signed before timing starts. Prints one JSON
// line: requests, 201s, other answers, entries/s, p50/p99/max latency.
//   log_http_load --print-policy                   admission policy to serve with
//   log_http_load --port P [--clients 64] [--seconds 10] [--wait true|false]
// Exit: 0 ran (even with refusals; see "errors"), 1 setup failed, 2 usage.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "sim_runner.h"

namespace {

using Clock = std::chrono::steady_clock;
using verun::proofs::Json;

int usage() {
  std::cerr << "usage: log_http_load --print-policy\n"
               "       log_http_load --port P [--clients 64] [--seconds 10] [--wait true|false]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0, clients = 64;
  double seconds = 10;
  bool wait = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    }
    if (a == "--print-policy") {
      std::cout << verun::log::testing::sim_policy_json() << "\n";
      return 0;
    }
    if (!has_value) return usage();
    const std::string v = argv[++i];
    if (a == "--port") {
      port = std::atoi(v.c_str());
    } else if (a == "--clients") {
      clients = std::atoi(v.c_str());
    } else if (a == "--seconds") {
      seconds = std::atof(v.c_str());
    } else if (a == "--wait") {
      wait = v == "true";
    } else {
      return usage();
    }
  }
  if (port <= 0 || clients <= 0 || seconds <= 0) return usage();

  // A fresh runner key per run (so receipts are never duplicates of an
  // earlier run's), registered once.
  std::uint8_t seed = static_cast<std::uint8_t>(0x80 + (std::chrono::system_clock::now().time_since_epoch().count() % 100));
  verun::log::testing::SimRunner runner(seed);
  std::uint64_t reg_index = 0;
  {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(std::chrono::seconds(30));
    auto r = c.Post("/v1/entries", Json{{"envelope", verun::proofs::serialize_envelope(runner.registration())}}.dump(),
                    "application/json");
    if (!r || (r->status != 201 && r->status != 200 && r->status != 409)) {
      std::cerr << "registration failed: " << (r ? r->body : httplib::to_string(r.error())) << "\n";
      return 1;
    }
    if (r->status == 409) {
      auto k = c.Get(("/v1/keys/" + runner.key_id).c_str());
      if (!k || k->status != 200) return 1;
      reg_index = Json::parse(k->body)["index"];
    } else {
      reg_index = Json::parse(r->body)["index"];
    }
  }

  // Bodies signed ahead: enough for the expected rate (grown if needed).
  const std::size_t per_client = static_cast<std::size_t>(std::max(200.0, seconds * 600.0 / clients * 4));
  std::vector<std::vector<std::string>> bodies(static_cast<std::size_t>(clients));
  const auto nonce = std::to_string(Clock::now().time_since_epoch().count());
  for (int t = 0; t < clients; ++t) {
    for (std::size_t i = 0; i < per_client; ++i) {
      auto p = runner.receipt_predicate(reg_index, 9);
      p.job.id = "load-" + nonce + "-" + std::to_string(t) + "-" + std::to_string(i);
      bodies[t].push_back(
          Json{{"envelope", verun::proofs::serialize_envelope(*verun::proofs::make_receipt_envelope(p, runner.key))}}
              .dump());
    }
  }

  std::atomic<bool> go{false}, stop{false};
  std::vector<std::vector<double>> lat(static_cast<std::size_t>(clients));
  std::vector<std::size_t> ok(static_cast<std::size_t>(clients), 0), errors(static_cast<std::size_t>(clients), 0);
  std::vector<std::thread> threads;
  const std::string path = wait ? "/v1/entries" : "/v1/entries?wait=false";
  const int want = wait ? 201 : 202;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_keep_alive(true);
      c.set_read_timeout(std::chrono::seconds(60));
      while (!go) std::this_thread::yield();
      for (std::size_t i = 0; i < bodies[t].size() && !stop; ++i) {
        const auto t0 = Clock::now();
        auto r = c.Post(path.c_str(), bodies[t][i], "application/json");
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        if (r && r->status == want) {
          ++ok[t];
          lat[t].push_back(us);
        } else {
          ++errors[t];
          if (errors[t] == 1) {
            std::cerr << "client " << t << ": " << (r ? std::to_string(r->status) + " " + r->body : httplib::to_string(r.error())) << "\n";
          }
        }
      }
    });
  }
  const auto start = Clock::now();
  go = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all;
  std::size_t n_ok = 0, n_err = 0;
  bool exhausted = false;
  for (int t = 0; t < clients; ++t) {
    all.insert(all.end(), lat[t].begin(), lat[t].end());
    n_ok += ok[t];
    n_err += errors[t];
    exhausted = exhausted || ok[t] + errors[t] == bodies[t].size();
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[static_cast<std::size_t>(p * (all.size() - 1))]; };
  Json out = {{"clients", clients},      {"seconds", elapsed},          {"ok", n_ok},
              {"errors", n_err},         {"per_second", n_ok / elapsed}, {"p50_ms", pct(0.5) / 1000},
              {"p99_ms", pct(0.99) / 1000}, {"max_ms", pct(1.0) / 1000}, {"wait", wait},
              {"ran_out_of_bodies", exhausted}};
  std::cout << out.dump() << "\n";
  return 0;
}
