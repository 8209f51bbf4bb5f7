// The smallest program built against the installed verun package.
//
// Without arguments it checks the package works offline: it signs a message
// with a fresh Ed25519 key and verifies it (a changed message is rejected),
// makes an SDK Client for a runner and finds that a malformed bundle does
// not verify. Prints "ok" and exits 0 when all holds.
//
// With arguments it is a whole submitter, as `verun submit` is:
//   sdk_client RUNNER_URL POLICY_FILE WORKLOAD INPUT_FILE
// attests the runner against the policy before sending anything, submits
// the input with salted-v1 commitments, checks the receipt and the bundle,
// and prints the output and the salts that reveal the commitments.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/note/note_key.h"
#include "verun/proofs/sha2.h"
#include "verun/sdk/client.h"
#include "verun/verifier/policy.h"

namespace {

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int submit(const char* runner, const char* policy_file, const char* workload, const char* input_file) {
  auto policy = verun::verifier::parse_policy(slurp(policy_file));
  if (!policy) {
    std::cerr << "policy: " << policy.error().to_string() << "\n";
    return 2;
  }
  auto client = verun::sdk::Client::make(runner, std::move(*policy));
  if (!client) {
    std::cerr << client.error().to_string() << "\n";
    return 2;
  }
  auto attested = client->attest();  // before any data leaves
  if (!attested) {
    std::cerr << attested.error().to_string() << "\n";
    return 1;
  }
  const std::string input = slurp(input_file);
  auto result = client->submit(workload, verun::proofs::as_bytes(input));
  if (!result) {
    std::cerr << result.error().to_string() << "\n";
    return 1;
  }
  std::cout << (attested->simulated ? "SIMULATED " : "") << "job " << result->job_id << " verified\n"
            << "output: " << verun::proofs::as_string_view(result->output) << "\n"
            << "input salt: " << verun::proofs::hex_encode(result->input_salt) << "\n"
            << "output salt: " << verun::proofs::hex_encode(result->output_salt) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace verun::proofs;
  if (argc == 5) return submit(argv[1], argv[2], argv[3], argv[4]);
  if (argc != 1) {
    std::cerr << "usage: sdk_client [RUNNER_URL POLICY_FILE WORKLOAD INPUT_FILE]\n";
    return 2;
  }
  auto key = Ed25519PrivateKey::generate();
  if (!key) {
    std::cerr << key.error().to_string() << "\n";
    return 1;
  }
  auto digest = sha256(std::string_view("hello, verun"));
  auto sig = key->sign(digest);
  bool good = ed25519_verify(key->public_key(), digest, sig).has_value();
  digest[0] ^= 1;
  bool tampered = ed25519_verify(key->public_key(), digest, sig).has_value();

  // The SDK links: a client can be made (nothing is contacted) and a
  // malformed bundle does not verify.
  bool sdk_ok = false;
  auto log_key = NoteSigner::generate("example.com/log");
  if (!log_key) return 1;
  Json policy_json = {{"tlog_policy", "log " + format_verifier_key(log_key->verifier()) + "\nquorum none\n"},
                      {"platforms", Json::object()}};
  auto policy = verun::verifier::parse_policy(policy_json.dump());
  if (policy) {
    auto client = verun::sdk::Client::make("http://127.0.0.1:1", *policy);
    sdk_ok = client.has_value() && !verun::sdk::Client::verify("{}", *policy).passed();
  }
  const bool all = good && !tampered && sdk_ok;
  std::cout << (all ? "ok" : "FAILED") << " key " << hex_encode(key->public_key()) << "\n";
  return all ? 0 : 1;
}
