// `verun inspect FILE`: recognizes a verun document by its shape and
// describes it (sdk/inspect.h): an envelope with its decoded statement, a
// bundle, a checkpoint or signed note, a tlog-proof, evidence (claims,
// SIMULATED for sim), an attestation answer, a policy. Describes, does not
// verify under a policy: use `verun verify` for that. Exit 0 recognized,
// 1 not a verun document, 2 usage (unreadable file).
#include <iostream>

#include "cmd/cli.h"
#include "cmd/commands/commands.h"
#include "verun/sdk/inspect.h"

namespace verun::cli {
namespace {

const char* kInspectUsage =
    "verun inspect FILE [--json]\n\n"
    "Recognizes FILE ('-' for stdin) as a DSSE envelope, a bundle, a checkpoint or signed note, a C2SP\n"
    "tlog-proof, an evidence object, sim-v1 data, a runner attestation answer or a policy, and prints\n"
    "what it says. Nothing is trusted: use verun verify to check a bundle under a policy.\n"
    "Exit 0 recognized; 1 not a verun document (or one that does not parse); 2 usage error";

int run_inspect(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()("file", po::value<std::string>(), "the file to inspect (positional; '-' for stdin)")(
      "json", po::bool_switch(), "print {kind, simulated, problems, details} as JSON");
  po::positional_options_description pos;
  pos.add("file", 1);
  int code = 0;
  auto vm = parse_options(kInspectUsage, desc, pos, args, code);
  if (!vm) return code;
  if (!vm->count("file")) {
    std::cerr << "usage error: no FILE given\n";
    return kExitUsage;
  }
  const std::string path = (*vm)["file"].as<std::string>();
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    auto t = read_file(path, 8u << 20);
    if (!t) {
      std::cerr << "usage error: " << t.error().to_string() << "\n";
      return kExitUsage;
    }
    text = std::move(*t);
  }
  auto inspection = sdk::inspect_document(text);
  if (!inspection) {
    print_error(inspection.error());
    return kExitInvalid;
  }
  if ((*vm)["json"].as<bool>()) {
    std::cout << inspection->to_json().dump(-1, ' ', false, proofs::Json::error_handler_t::replace) << "\n";
  } else {
    std::cout << inspection->to_text();
  }
  return kExitOk;
}

}  // namespace

int run_inspect_command(const std::vector<std::string>& args) { return run_inspect(args); }

}  // namespace verun::cli
