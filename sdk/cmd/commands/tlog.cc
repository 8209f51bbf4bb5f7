// `verun tlog`: offline transparency-log tools for auditors and for trying
// the proofs core by hand (C2SP signed-note, tlog-checkpoint, tlog-tiles,
// tlog-proof; RFC 9162):
//   keygen  a note key pair (x/mod private-key form, written 0600)
//   build   a static tlog-tiles folder (checkpoint, hash tiles, entry bundles)
//           from files, one entry per file
//   prove   a C2SP tlog-proof for one entry, read from such a folder
//   verify  a tlog-proof against an entry and the log's verifier key
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/commands/commands.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/merkle/memory_hash_store.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/sdk/tile_hash_source.h"

namespace verun::cli {
namespace {

namespace fs = std::filesystem;
using namespace verun::proofs;

int fail(const Error& e, int code = kExitInvalid) {
  print_error(e);
  return code;
}

int tlog_keygen(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()("name", po::value<std::string>()->required(), "key name (the log's origin, e.g. example.com/log)")(
      "out", po::value<std::string>()->required(), "file to write the private key to (mode 0600; must not exist)");
  int rc = 0;
  auto vm = parse_options("verun tlog keygen --name NAME --out KEYFILE", desc, {}, args, rc);
  if (!vm) return rc;
  fs::path out = (*vm)["out"].as<std::string>();
  if (fs::exists(out)) return fail(Error(ErrorCode::kInvalidArgument, out.string() + " exists; refusing to overwrite a key"), kExitUsage);
  auto signer = NoteSigner::generate((*vm)["name"].as<std::string>());
  if (!signer) return fail(signer.error(), kExitUsage);
  SecureBytes skey = format_signer_key(*signer);
  std::string_view text(reinterpret_cast<const char*>(skey.data()), skey.size());
  if (auto w = write_file_atomic(out, text, 0600); !w) return fail(w.error());
  std::cout << format_verifier_key(signer->verifier()) << "\n";
  return kExitOk;
}

int tlog_build(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()("key", po::value<std::string>()->required(), "the log's private key file (from keygen)")(
      "origin", po::value<std::string>(), "checkpoint origin (default: the key's name)")(
      "out", po::value<std::string>()->required(), "folder to write the log into (created)")(
      "entry", po::value<std::vector<std::string>>()->required(), "entry files, in log order (positional)");
  po::positional_options_description pos;
  pos.add("entry", -1);
  int rc = 0;
  auto vm = parse_options("verun tlog build --key KEYFILE --out DIR [--origin O] FILE...", desc, pos, args, rc);
  if (!vm) return rc;

  auto key_text = read_file((*vm)["key"].as<std::string>(), 4096);
  if (!key_text) return fail(key_text.error(), kExitUsage);
  auto signer = parse_signer_key(*key_text);
  if (!signer) return fail(signer.error(), kExitUsage);
  std::string origin = vm->count("origin") ? (*vm)["origin"].as<std::string>() : signer->name();

  std::vector<Bytes> entries;
  MemoryHashStore store;
  for (const auto& f : (*vm)["entry"].as<std::vector<std::string>>()) {
    auto data = read_file(f, kMaxEntrySize);
    if (!data) return fail(data.error(), kExitUsage);
    entries.push_back(to_bytes(*data));
    store.append_leaf(leaf_hash(entries.back()));
  }
  Checkpoint cp;
  cp.origin = origin;
  cp.size = entries.size();
  auto root = tree_hash(store, cp.size);
  if (!root) return fail(root.error());
  cp.root = *root;
  auto note = sign_checkpoint(cp, *signer);
  if (!note) return fail(note.error());

  fs::path dir = (*vm)["out"].as<std::string>();
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto put = [&](const std::string& rel, ByteView data) -> Result<void> {
    fs::path p = dir / rel;
    fs::create_directories(p.parent_path(), ec);
    return write_file_atomic(p, as_string_view(data));
  };
  for (const Tile& t : hash_tiles_for_size(cp.size)) {
    auto data = read_hash_tile(store, t);
    if (!data) return fail(data.error());
    if (auto w = put(format_tile_path(t), *data); !w) return fail(w.error());
  }
  for (const Tile& t : entry_bundles_for_size(cp.size)) {
    auto first = entries.begin() + static_cast<std::ptrdiff_t>(t.index * kTileWidth);
    std::vector<Bytes> slice(first, first + t.width);
    auto bundle = format_entry_bundle(slice);
    if (!bundle) return fail(bundle.error());
    if (auto w = put(format_tile_path(t), *bundle); !w) return fail(w.error());
  }
  if (auto w = put("checkpoint", as_bytes(*note)); !w) return fail(w.error());
  std::cerr << "wrote " << cp.size << " entries, " << hash_tiles_for_size(cp.size).size() << " hash tiles and "
            << entry_bundles_for_size(cp.size).size() << " entry bundles to " << dir.string() << "\n";
  std::cout << *note;
  return kExitOk;
}

int tlog_prove(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()("dir", po::value<std::string>()->required(), "a tlog-tiles folder (from build or export-tiles)")(
      "index", po::value<std::uint64_t>()->required(), "the entry's index");
  int rc = 0;
  auto vm = parse_options("verun tlog prove --dir DIR --index N", desc, {}, args, rc);
  if (!vm) return rc;
  fs::path dir = (*vm)["dir"].as<std::string>();
  auto note = read_file(dir / "checkpoint", 1 << 20);
  if (!note) return fail(note.error(), kExitUsage);
  auto signed_note = parse_signed_note(*note);
  if (!signed_note) return fail(signed_note.error());
  auto cp = parse_checkpoint(signed_note->text);
  if (!cp) return fail(cp.error());
  std::uint64_t index = (*vm)["index"].as<std::uint64_t>();
  sdk::TileHashSource source(sdk::directory_tile_fetcher(dir), cp->size);
  auto hashes = prove_inclusion(source, index, cp->size);
  if (!hashes) return fail(hashes.error());
  TlogProof proof;
  proof.index = index;
  proof.hashes = std::move(*hashes);
  proof.checkpoint_note = *note;
  std::cout << format_tlog_proof(proof);
  return kExitOk;
}

int tlog_verify(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()("proof", po::value<std::string>()->required(), "a C2SP tlog-proof file")(
      "entry", po::value<std::string>()->required(), "the entry's bytes (leaf hash = SHA-256(0x00 || entry))")(
      "vkey", po::value<std::string>()->required(), "the log's verifier key (name+hash+base64)")(
      "origin", po::value<std::string>(), "the expected checkpoint origin (default: the key's name)")(
      "json", po::bool_switch(), "print the result as JSON");
  int rc = 0;
  auto vm = parse_options("verun tlog verify --proof FILE --entry FILE --vkey VKEY [--origin O] [--json]", desc, {}, args, rc);
  if (!vm) return rc;
  auto vkey = parse_verifier_key((*vm)["vkey"].as<std::string>());
  if (!vkey) return fail(vkey.error(), kExitUsage);
  auto text = read_file((*vm)["proof"].as<std::string>(), 1 << 20);
  if (!text) return fail(text.error(), kExitUsage);
  auto entry = read_file((*vm)["entry"].as<std::string>(), kMaxEntrySize);
  if (!entry) return fail(entry.error(), kExitUsage);
  std::string origin = vm->count("origin") ? (*vm)["origin"].as<std::string>() : vkey->name();

  Result<VerifiedTlogProof> verified = Error(ErrorCode::kInternal, "not run");
  auto proof = parse_tlog_proof(*text);
  if (proof) verified = verify_tlog_proof_for_entry(*proof, as_bytes(*entry), *vkey, origin);
  const Error* err = !proof ? &proof.error() : (!verified ? &verified.error() : nullptr);

  if ((*vm)["json"].as<bool>()) {
    nlohmann::json j;
    j["valid"] = err == nullptr;
    j["leaf_hash"] = hex_encode(leaf_hash(as_bytes(*entry)));
    if (err) {
      j["error"] = {{"code", std::string(to_string(err->code))}, {"message", err->message}};
    } else {
      const auto& cp = verified->checkpoint.checkpoint;
      j["index"] = verified->index;
      j["checkpoint"] = {{"origin", cp.origin}, {"size", cp.size}, {"root", base64_encode(cp.root)}};
    }
    std::cout << j.dump(2) << "\n";
  } else if (err) {
    std::cout << "INVALID: " << err->to_string() << "\n";
  } else {
    const auto& cp = verified->checkpoint.checkpoint;
    std::cout << "OK: entry " << verified->index << " is included in " << cp.origin << " at size " << cp.size
              << " (root " << base64_encode(cp.root) << "), checkpoint signed by " << vkey->name() << "\n";
  }
  return err ? kExitInvalid : kExitOk;
}

}  // namespace

int run_tlog(const std::vector<std::string>& args) {
  CommandTable table{
      {"keygen", {"create a note key pair (private key file 0600; prints the verifier key)", tlog_keygen}},
      {"build", {"build a static tlog-tiles log from files, one entry per file", tlog_build}},
      {"prove", {"print a C2SP tlog-proof for one entry of a tlog-tiles folder", tlog_prove}},
      {"verify", {"verify a tlog-proof against an entry and the log's key", tlog_verify}},
  };
  return dispatch("verun tlog", table, args);
}

}  // namespace verun::cli
