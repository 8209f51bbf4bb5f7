// Key files of the runner (DESIGN.md §6 "Key files"): the sim root key in
// x/mod's private-key text form `PRIVATE+KEY+<name>+<hash>+<b64>` (Ed25519,
// type 0x01), written with mode 0600 and never overwritten. Keys never come
// from argv or the environment. Stateless functions; thread-safe.
#pragma once

#include <string>

#include "verun/proofs/crypto/ed25519.h"
#include "verun/result.h"

namespace verun::runner {

// Creates the file exclusively (O_CREAT|O_EXCL, mode 0600) with a fresh
// key named `name`; returns the public key as standard base64 (what a
// policy's platforms.sim.roots lists). runner.key_file_exists when the
// path exists, io.error when it cannot be written, note.bad_key for a bad name.
Result<std::string> create_sim_root_key_file(const std::string& path, const std::string& name);

// Reads the key back (at most 4 KiB; runner.bad_key_file otherwise).
Result<proofs::Ed25519PrivateKey> read_sim_root_key_file(const std::string& path);

}  // namespace verun::runner
