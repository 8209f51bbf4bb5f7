// `verun-log export-tiles`: a static copy of the log's C2SP tlog-tiles read
// API (checkpoint, every hash tile and entry bundle at the latest size,
// partial ones as `.p/<W>`) that any web server or CDN can serve
// (DESIGN.md §6 "Read API"). Reads the store only; not thread-safe per dir.
#pragma once

#include <cstdint>
#include <filesystem>

#include "store/store.h"
#include "verun/result.h"

namespace verun::log::http {

struct ExportStats {
  std::uint64_t size = 0;     // tree size of the exported checkpoint
  std::uint64_t files = 0;    // files written, checkpoint included
};

// Writes dir/checkpoint, dir/tile/<L>/<N>[.p/<W>] and dir/tile/entries/...
// for the stored checkpoint. The checkpoint is written last (after every
// tile it commits to) through a temporary file and a rename. Errors:
// io.error, the store's.
Result<ExportStats> export_tiles(const Store& store, const std::filesystem::path& dir);

}  // namespace verun::log::http
