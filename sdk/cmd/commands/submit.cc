// `verun submit`: the submitter's whole flow (DESIGN.md §5, §7, §8) with
// sdk::Client: attest the runner against the policy before any data leaves,
// seal and send the input, open the output, check the receipt and verify
// the bundle; then write the output and the bundle and print the salts that
// reveal the commitments. Exit 0 done and valid (status ok), 1 refused or
// invalid (or a job whose status is not ok: files are still written), 2 usage,
// 3 runner or log unavailable.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/commands/commands.h"
#include "cmd/commands/common.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/sdk/client.h"

namespace verun::cli {
namespace {

using proofs::Json;

const char* kSubmitUsage =
    "verun submit --runner URL --policy P --workload W --input FILE [-o OUT] [--bundle B] [--public]\n"
    "       [--async] [--log URL] [--auth-token-file F] [--timeout-ms MS] [--json]\n\n"
    "Attests the runner against the policy (fresh nonce, live evidence, registration proof) BEFORE\n"
    "sending anything, then sends the input sealed to the attested key, opens the output, checks the\n"
    "receipt (signer, job nonce, workload, input and output commitments) and verifies the bundle.\n"
    "Writes the output to OUT (stdout without -o) and the bundle to B (default <job_id>.bundle.json).\n"
    "Default commitments are salted-v1 (private data); --public uses sha256. The salts printed reveal\n"
    "the commitments to whoever gets them with the data.\n"
    "Exit 0 done and valid with status ok; 1 refused, invalid, or a job status other than ok (files are\n"
    "written); 2 usage error; 3 the runner or log is unreachable, busy or timed out (retry later)";

int run_submit(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()
      ("runner", po::value<std::string>()->required(), "the runner's base URL (http://host:port)")
      ("policy", po::value<std::string>()->required(), "the submitter's policy JSON (with tlog_policy)")
      ("workload", po::value<std::string>()->required(), "the workload's name")
      ("input", po::value<std::string>()->required(), "the input file")
      ("output,o", po::value<std::string>(), "write the output here (default: stdout)")
      ("bundle", po::value<std::string>(), "write the bundle here (default: <job_id>.bundle.json)")
      ("public", po::bool_switch(), "use sha256 commitments (public data) instead of salted-v1")
      ("async", po::bool_switch(), "submit with ?async=true and poll until done")
      ("log", po::value<std::string>(), "the log's URL, to check the registration's inclusion before sending")
      ("auth-token-file", po::value<std::string>(), "a file holding the runner's bearer token")
      ("timeout-ms", po::value<std::uint64_t>()->default_value(300000), "how long to wait for the job")
      ("json", po::bool_switch(), "print the result as JSON");
  int code = 0;
  auto vm = parse_options(kSubmitUsage, desc, {}, args, code);
  if (!vm) return code;
  const bool json = (*vm)["json"].as<bool>();
  auto usage = [](const Error& e) {
    std::cerr << "usage error: " << e.to_string() << "\n";
    return kExitUsage;
  };

  auto policy = load_policy((*vm)["policy"].as<std::string>());
  if (!policy) return usage(Error(policy.code(), "invalid policy: " + policy.error().message));
  auto input = read_file((*vm)["input"].as<std::string>(), kMaxDataFileBytes);
  if (!input) return usage(input.error());
  sdk::ClientOptions options;
  if (vm->count("log")) options.log_url = (*vm)["log"].as<std::string>();
  if (vm->count("auth-token-file")) {
    auto token = read_token_file((*vm)["auth-token-file"].as<std::string>());
    if (!token) return usage(token.error());
    options.runner.bearer_token = std::move(*token);
  }
  const auto timeout = std::chrono::milliseconds((*vm)["timeout-ms"].as<std::uint64_t>());
  if (timeout.count() <= 0) return usage(Error(ErrorCode::kInvalidArgument, "--timeout-ms must be positive"));
  options.runner.timeout = timeout;
  auto client = sdk::Client::make((*vm)["runner"].as<std::string>(), std::move(*policy), options);
  if (!client) return usage(client.error());

  auto attested = client->attest();
  if (!attested) {
    print_error(attested.error());
    std::cerr << "nothing was sent to the runner\n";
    return exit_code_for(attested.error());
  }
  if (!json) {
    if (attested->simulated) std::cerr << "SIMULATED: the runner's platform is sim; its evidence proves nothing about hardware\n";
    std::cerr << "runner " << attested->key_id << " (platform " << proofs::to_string(attested->identity.platform)
              << ") attested with a fresh nonce; registration at log index " << attested->registration_index
              << (attested->registration_included ? " (inclusion verified)" : " (checkpoint verified; inclusion checked in the bundle)")
              << "\n";
  }

  sdk::SubmitOptions submit;
  if ((*vm)["public"].as<bool>()) {
    submit.input_scheme = proofs::CommitmentScheme::kSha256;
    submit.output_scheme = proofs::CommitmentScheme::kSha256;
  }
  submit.async = (*vm)["async"].as<bool>();
  submit.timeout = timeout;
  auto result = client->submit((*vm)["workload"].as<std::string>(), proofs::as_bytes(*input), submit);
  if (!result) {
    print_error(result.error());
    return exit_code_for(result.error());
  }

  const std::string bundle_path =
      vm->count("bundle") ? (*vm)["bundle"].as<std::string>() : result->job_id + ".bundle.json";
  if (auto w = write_file_atomic(bundle_path, result->bundle + "\n"); !w) {
    print_error(w.error());
    return kExitInvalid;
  }
  const bool salted = submit.output_scheme == proofs::CommitmentScheme::kSaltedV1;
  std::string output_path;
  if (vm->count("output")) {
    output_path = (*vm)["output"].as<std::string>();
    if (auto w = write_file_atomic(output_path, proofs::as_string_view(result->output), salted ? 0600 : 0644); !w) {
      print_error(w.error());
      return kExitInvalid;
    }
  }
  const auto& r = result->receipt;
  const bool ok = r.status.result == proofs::JobResult::kOk;
  if (json) {
    Json j = {{"verdict", "valid"},
              {"job_id", result->job_id},
              {"workload", r.workload.name},
              {"status", std::string(proofs::to_string(r.status.result))},
              {"exit_code", r.status.exit_code},
              {"simulated", attested->simulated},
              {"platform", std::string(proofs::to_string(attested->identity.platform))},
              {"key_id", attested->key_id},
              {"registration_index", attested->registration_index},
              {"input_scheme", std::string(proofs::to_string(submit.input_scheme))},
              {"output_scheme", std::string(proofs::to_string(submit.output_scheme))},
              {"input_size", r.input.size},
              {"output_size", r.output.size},
              {"job_nonce", proofs::hex_encode(result->job_nonce)},
              {"bundle_file", bundle_path}};
    if (result->report.receipt_index) j["receipt_index"] = *result->report.receipt_index;
    if (!result->input_salt.empty()) j["input_salt"] = proofs::hex_encode(result->input_salt);
    if (!result->output_salt.empty()) j["output_salt"] = proofs::hex_encode(result->output_salt);
    if (output_path.empty()) {
      j["output"] = proofs::base64_encode(result->output);
    } else {
      j["output_file"] = output_path;
    }
    std::cout << j.dump() << "\n";
  } else {
    if (output_path.empty()) std::cout << proofs::as_string_view(result->output) << std::flush;
    std::ostream& os = output_path.empty() ? std::cerr : std::cout;
    if (attested->simulated) os << "SIMULATED ";
    os << "job " << result->job_id << ": " << r.workload.name << " status " << proofs::to_string(r.status.result)
       << " (exit " << r.status.exit_code << "); receipt verified, bundle valid\n";
    if (!ok) os << "WARNING: the job did not succeed (status " << proofs::to_string(r.status.result) << ")\n";
    if (!output_path.empty()) os << "output: " << output_path << " (" << result->output.size() << " bytes)\n";
    os << "bundle: " << bundle_path << "\n";
    os << "job nonce: " << proofs::hex_encode(result->job_nonce) << "\n";
    if (!result->input_salt.empty()) os << "input salt: " << proofs::hex_encode(result->input_salt) << "\n";
    if (!result->output_salt.empty()) os << "output salt: " << proofs::hex_encode(result->output_salt) << "\n";
    if (salted) os << "(the salts reveal the commitments: give them only with the data, to who may check it)\n";
  }
  return ok ? kExitOk : kExitInvalid;
}

}  // namespace

int run_submit_command(const std::vector<std::string>& args) { return run_submit(args); }

}  // namespace verun::cli
