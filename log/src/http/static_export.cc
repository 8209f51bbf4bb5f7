// Static C2SP tlog-tiles export (DESIGN.md §6 "exported to a directory").
#include "http/static_export.h"

#include <fstream>
#include <system_error>

#include "verun/proofs/merkle/tiles.h"

namespace verun::log::http {
namespace {

Result<void> write_file(const std::filesystem::path& path, std::string_view data) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return Error(ErrorCode::kIoError, "cannot create " + path.parent_path().string() + ": " + ec.message());
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) return Error(ErrorCode::kIoError, "cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Error(ErrorCode::kIoError, "cannot rename " + tmp + ": " + ec.message());
  return {};
}

std::string_view as_text(const proofs::Bytes& b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

}  // namespace

Result<ExportStats> export_tiles(const Store& store, const std::filesystem::path& dir) {
  VERUN_ASSIGN_OR_RETURN(auto state, store.read_state());
  ExportStats stats;
  stats.size = state.size;
  for (const auto& t : proofs::hash_tiles_for_size(state.size)) {
    VERUN_ASSIGN_OR_RETURN(auto data, store.read_hash_tile(t.level, t.index, t.width));
    VERUN_TRY(write_file(dir / proofs::format_tile_path(t), as_text(data)));
    ++stats.files;
  }
  for (const auto& t : proofs::entry_bundles_for_size(state.size)) {
    VERUN_ASSIGN_OR_RETURN(auto data, store.read_entry_bundle(t.index, t.width));
    VERUN_TRY(write_file(dir / proofs::format_tile_path(t), as_text(data)));
    ++stats.files;
  }
  VERUN_TRY(write_file(dir / "checkpoint", state.checkpoint));
  ++stats.files;
  return stats;
}

}  // namespace verun::log::http
