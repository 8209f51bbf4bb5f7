// `verun log`: verun-log's HTTP API from the command line (sdk::LogClient),
// JSON on stdout for scripts:
//   checkpoint   the current signed checkpoint (verified with --vkey when given)
//   entry        an entry's envelope and leaf hash
//   proof        a C2SP tlog-proof for an entry at a tree size
//   consistency  a consistency proof between two tree sizes
//   key          a runner key's registration
//   blob         collateral bytes by SHA-256 (written to --out)
// Exit 0 done, 1 the log refused or answered garbage, 2 usage, 3 unreachable
// or a 5xx (retry later).
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/commands/commands.h"
#include "cmd/commands/common.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/note_key.h"
#include "verun/sdk/log_client.h"

namespace verun::cli {
namespace {

using proofs::Json;

int fail(const Error& e) {
  print_error(e);
  return exit_code_for(e);
}

// Parses the options common to every log verb plus `extra`, then runs `body`
// with the client.
template <typename Body>
int with_log(const std::string& usage, const std::vector<std::string>& args, po::options_description extra,
             const po::positional_options_description& pos, Body body) {
  po::options_description desc("options");
  desc.add_options()("log", po::value<std::string>()->required(), "the log's base URL (http://host:port)")(
      "timeout-ms", po::value<std::uint64_t>()->default_value(30000), "timeout of one request");
  desc.add(extra);
  int code = 0;
  auto vm = parse_options(usage, desc, pos, args, code);
  if (!vm) return code;
  auto client = sdk::LogClient::make((*vm)["log"].as<std::string>(),
                                     {std::chrono::milliseconds((*vm)["timeout-ms"].as<std::uint64_t>())});
  if (!client) {
    std::cerr << "usage error: " << client.error().to_string() << "\n";
    return kExitUsage;
  }
  return body(*client, *vm);
}

void print(const Json& j) { std::cout << j.dump() << "\n"; }

int log_checkpoint(const std::vector<std::string>& args) {
  po::options_description extra;
  extra.add_options()("vkey", po::value<std::string>(), "the log's verifier key: verify the signature and origin");
  return with_log("verun log checkpoint --log URL [--vkey VKEY]", args, extra, {},
                  [](const sdk::LogClient& log, const po::variables_map& vm) {
                    auto note = log.checkpoint();
                    if (!note) return fail(note.error());
                    Json j = {{"checkpoint", *note}};
                    if (vm.count("vkey")) {
                      auto key = proofs::parse_verifier_key(vm["vkey"].as<std::string>());
                      if (!key) {
                        std::cerr << "usage error: " << key.error().to_string() << "\n";
                        return kExitUsage;
                      }
                      auto cp = proofs::open_checkpoint(*note, *key, key->name());
                      if (!cp) return fail(cp.error());
                      j["verified"] = true;
                    }
                    auto cp = proofs::parse_checkpoint(note->substr(0, note->find("\n\n") + 1));
                    if (cp) {
                      j["origin"] = cp->origin;
                      j["size"] = cp->size;
                      j["root"] = proofs::base64_encode(cp->root);
                    }
                    print(j);
                    return kExitOk;
                  });
}

int log_entry(const std::vector<std::string>& args) {
  po::options_description extra;
  extra.add_options()("index", po::value<std::uint64_t>()->required(), "the entry's index");
  return with_log("verun log entry --log URL --index N", args, extra, {},
                  [](const sdk::LogClient& log, const po::variables_map& vm) {
                    const auto index = vm["index"].as<std::uint64_t>();
                    auto entry = log.entry(index);
                    if (!entry) return fail(entry.error());
                    auto envelope = proofs::parse_json(proofs::as_string_view(*entry));
                    if (!envelope) return fail(envelope.error());
                    print({{"index", index}, {"leaf_hash", proofs::hex_encode(proofs::leaf_hash(*entry))},
                           {"envelope", *envelope}});
                    return kExitOk;
                  });
}

int log_proof(const std::vector<std::string>& args) {
  po::options_description extra;
  extra.add_options()("index", po::value<std::uint64_t>()->required(), "the entry's index")(
      "size", po::value<std::uint64_t>(), "the tree size (default: the current checkpoint's)")(
      "raw", po::bool_switch(), "print the tlog-proof text instead of JSON");
  return with_log("verun log proof --log URL --index N [--size S] [--raw]", args, extra, {},
                  [](const sdk::LogClient& log, const po::variables_map& vm) {
                    std::uint64_t size = 0;
                    if (vm.count("size")) {
                      size = vm["size"].as<std::uint64_t>();
                    } else {
                      auto note = log.checkpoint();
                      if (!note) return fail(note.error());
                      auto cp = proofs::parse_checkpoint(note->substr(0, note->find("\n\n") + 1));
                      if (!cp) return fail(cp.error());
                      size = cp->size;
                    }
                    const auto index = vm["index"].as<std::uint64_t>();
                    auto proof = log.inclusion_proof(index, size);
                    if (!proof) return fail(proof.error());
                    if (vm["raw"].as<bool>()) {
                      std::cout << *proof;
                    } else {
                      print({{"index", index}, {"size", size}, {"proof", *proof}});
                    }
                    return kExitOk;
                  });
}

int log_consistency(const std::vector<std::string>& args) {
  po::options_description extra;
  extra.add_options()("old", po::value<std::uint64_t>()->required(), "the older tree size")(
      "new", po::value<std::uint64_t>()->required(), "the newer tree size");
  return with_log("verun log consistency --log URL --old M --new N", args, extra, {},
                  [](const sdk::LogClient& log, const po::variables_map& vm) {
                    auto proof = log.consistency_proof(vm["old"].as<std::uint64_t>(), vm["new"].as<std::uint64_t>());
                    if (!proof) return fail(proof.error());
                    Json hashes = Json::array();
                    for (const auto& h : *proof) hashes.push_back(proofs::base64_encode(h));
                    print({{"old", vm["old"].as<std::uint64_t>()}, {"new", vm["new"].as<std::uint64_t>()},
                           {"proof", hashes}});
                    return kExitOk;
                  });
}

int log_key(const std::vector<std::string>& args) {
  po::options_description extra;
  extra.add_options()("key-id", po::value<std::string>()->required(), "the runner key_id (64 hex)");
  return with_log("verun log key --log URL --key-id ID", args, extra, {},
                  [](const sdk::LogClient& log, const po::variables_map& vm) {
                    auto key = log.key(vm["key-id"].as<std::string>());
                    if (!key) return fail(key.error());
                    print(*key);
                    return kExitOk;
                  });
}

int log_blob(const std::vector<std::string>& args) {
  po::options_description extra;
  extra.add_options()("sha256", po::value<std::string>()->required(), "the blob's SHA-256 (64 hex)")(
      "out", po::value<std::string>(), "write the bytes here (default: base64 in the JSON)");
  return with_log("verun log blob --log URL --sha256 HEX [--out FILE]", args, extra, {},
                  [](const sdk::LogClient& log, const po::variables_map& vm) {
                    auto blob = log.blob(vm["sha256"].as<std::string>());
                    if (!blob) return fail(blob.error());
                    Json j = {{"sha256", vm["sha256"].as<std::string>()}, {"size", blob->size()}};
                    if (vm.count("out")) {
                      if (auto w = write_file_atomic(vm["out"].as<std::string>(), proofs::as_string_view(*blob)); !w) {
                        return fail(w.error());
                      }
                      j["file"] = vm["out"].as<std::string>();
                    } else {
                      j["data"] = proofs::base64_encode(*blob);
                    }
                    print(j);
                    return kExitOk;
                  });
}

}  // namespace

int run_log(const std::vector<std::string>& args) {
  CommandTable table{
      {"checkpoint", {"the log's current signed checkpoint (verified with --vkey)", log_checkpoint}},
      {"entry", {"an entry's envelope and leaf hash", log_entry}},
      {"proof", {"a C2SP tlog-proof for an entry", log_proof}},
      {"consistency", {"a consistency proof between two tree sizes", log_consistency}},
      {"key", {"a runner key's registration", log_key}},
      {"blob", {"collateral bytes by SHA-256", log_blob}},
  };
  return dispatch("verun log", table, args);
}

}  // namespace verun::cli
