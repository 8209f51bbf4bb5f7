#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <bit>
#include <condition_variable>
#include <thread>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/store_hash_source.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/proofs/sha2.h"

namespace verun::log {
namespace {

using proofs::Bytes;
using proofs::ByteView;
using proofs::Hash32;
using proofs::kTileWidth;
using sqlite::Connection;
using sqlite::Statement;
using sqlite::StatementScope;
using sqlite::Transaction;

// leaf_recent holds the leaf prefixes of at most this many entries.
constexpr std::uint64_t kRecentSpan = 65536;
constexpr std::uint64_t kMaxIndex = std::uint64_t{1} << 62;  // far beyond any real log; keeps int64 safe

Error not_found(std::string what) { return Error(ErrorCode::kNotFound, std::move(what)); }
Error corrupt(std::string what) { return Error(ErrorCode::kLogStoreCorrupt, std::move(what)); }

// The leaf_index key: the first 8 bytes of the leaf hash, big-endian, as
// SQLite's signed 64-bit integer.
std::int64_t leaf_prefix(const Hash32& h) {
  return static_cast<std::int64_t>(proofs::read_u64_be(ByteView(h).first(8)));
}

std::int64_t tile_id(std::uint32_t level, std::uint64_t index) {
  return static_cast<std::int64_t>((std::uint64_t{level} << 56) | index);
}

// Offset of entry k (its length prefix) in a C2SP entry bundle, walking the
// uint16 big-endian length prefixes; k == count gives the bundle's used length.
Result<std::size_t> bundle_offset(ByteView bundle, std::size_t k) {
  std::size_t off = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (bundle.size() - off < 2) return corrupt("entry bundle is truncated");
    const std::size_t len = (std::size_t{bundle[off]} << 8) | bundle[off + 1];
    if (bundle.size() - off - 2 < len) return corrupt("entry bundle is truncated");
    off += 2 + len;
  }
  return off;
}

Result<Bytes> bundle_entry(ByteView bundle, std::size_t k) {
  VERUN_ASSIGN_OR_RETURN(std::size_t off, bundle_offset(bundle, k));
  if (bundle.size() - off < 2) return corrupt("entry bundle is truncated");
  const std::size_t len = (std::size_t{bundle[off]} << 8) | bundle[off + 1];
  if (bundle.size() - off - 2 < len) return corrupt("entry bundle is truncated");
  return Bytes(bundle.begin() + static_cast<std::ptrdiff_t>(off + 2),
               bundle.begin() + static_cast<std::ptrdiff_t>(off + 2 + len));
}

Result<std::vector<Hash32>> parse_hashes(ByteView data, std::string_view what) {
  if (data.size() % 32 != 0) return corrupt(std::string(what) + " is not a whole number of hashes");
  std::vector<Hash32> out(data.size() / 32);
  for (std::size_t i = 0; i < out.size(); ++i) std::copy_n(data.begin() + 32 * i, 32, out[i].begin());
  return out;
}

// ---- reads over one connection (a reader snapshot or the writer's tx) ----

Result<std::uint64_t> stored_size(Connection& c) {
  VERUN_ASSIGN_OR_RETURN(std::int64_t size, c.query_int("SELECT size FROM state WHERE id = 0"));
  if (size < 0) return corrupt("negative tree size");
  return static_cast<std::uint64_t>(size);
}

Result<std::optional<Bytes>> get_blob_row(Connection& c, const std::string& sql, std::int64_t key) {
  VERUN_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql));
  StatementScope scope(*s);
  s->bind(1, key);
  VERUN_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return std::optional<Bytes>();
  ByteView v = s->column_blob(0);
  return std::optional<Bytes>(Bytes(v.begin(), v.end()));
}

Result<std::optional<Bytes>> get_bundle(Connection& c, std::uint64_t index) {
  return get_blob_row(c, "SELECT data FROM bundles WHERE idx = ?1", static_cast<std::int64_t>(index));
}

// Tail entries [begin, end), in order; fewer when the tree is smaller.
Result<std::vector<Bytes>> get_tail(Connection& c, std::uint64_t begin, std::uint64_t end) {
  VERUN_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT idx, data FROM tail WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"));
  StatementScope scope(*s);
  s->bind(1, static_cast<std::int64_t>(begin)).bind(2, static_cast<std::int64_t>(end));
  std::vector<Bytes> out;
  for (;;) {
    VERUN_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) break;
    if (static_cast<std::uint64_t>(s->column_int64(0)) != begin + out.size()) return corrupt("tail entries have a gap");
    ByteView v = s->column_blob(1);
    out.emplace_back(v.begin(), v.end());
  }
  return out;
}

Result<Bytes> entry_at(Connection& c, std::uint64_t index) {
  VERUN_ASSIGN_OR_RETURN(std::optional<Bytes> bundle, get_bundle(c, index / kTileWidth));
  if (bundle) return bundle_entry(*bundle, index % kTileWidth);
  VERUN_ASSIGN_OR_RETURN(std::vector<Bytes> tail, get_tail(c, index, index + 1));
  if (tail.empty()) return not_found("no entry at index " + std::to_string(index));
  return std::move(tail[0]);
}

// The entries of bundle `index`, its first `width`: the bundle's bytes.
Result<Bytes> bundle_bytes(Connection& c, std::uint64_t index, std::uint32_t width) {
  VERUN_ASSIGN_OR_RETURN(std::optional<Bytes> bundle, get_bundle(c, index));
  if (bundle) {
    VERUN_ASSIGN_OR_RETURN(std::size_t used, bundle_offset(*bundle, width));
    bundle->resize(used);
    return std::move(*bundle);
  }
  const std::uint64_t begin = index * kTileWidth;
  VERUN_ASSIGN_OR_RETURN(std::vector<Bytes> tail, get_tail(c, begin, begin + width));
  if (tail.size() != width) {
    return not_found("entry bundle " + std::to_string(index) + " has fewer than " + std::to_string(width) + " entries");
  }
  return proofs::format_entry_bundle(tail);
}

}  // namespace

struct SqliteStore::Impl {
  std::filesystem::path path;
  SqliteStoreOptions options;
  int version = 0;

  // The background checkpointer (SqliteStoreOptions::background_checkpoint).
  std::thread checkpointer;
  std::mutex checkpoint_mu;
  std::condition_variable checkpoint_cv;
  bool closing = false;

  void run_checkpoints() {
    auto c = Connection::open(path, /*create=*/false);
    if (!c) return;  // SQLite's own checkpoint at close still runs
    std::unique_lock<std::mutex> lock(checkpoint_mu);
    while (!closing) {
      checkpoint_cv.wait_for(lock, options.checkpoint_interval, [&] { return closing; });
      if (closing) break;
      lock.unlock();
      // PASSIVE: copies what no reader needs, never blocks the writer.
      (void)(*c)->exec("PRAGMA wal_checkpoint(PASSIVE)");
      lock.lock();
    }
  }

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(checkpoint_mu);
      closing = true;
    }
    checkpoint_cv.notify_all();
    if (checkpointer.joinable()) checkpointer.join();
  }

  std::mutex write_mu;
  std::unique_ptr<Connection> writer;

  mutable std::mutex pool_mu;
  mutable std::vector<std::unique_ptr<Connection>> pool;

  // LRU of full level-0 tiles (leaf hashes of full bundles).
  mutable std::mutex cache_mu;
  mutable std::list<std::pair<std::uint64_t, std::vector<Hash32>>> lru;
  mutable std::unordered_map<std::uint64_t, decltype(lru)::iterator> lru_index;

  // LRU of other tiles by (tile id, width): see SqliteStoreOptions.
  using TileKey = std::pair<std::int64_t, std::uint32_t>;
  struct TileKeyHash {
    std::size_t operator()(const TileKey& k) const {
      return std::hash<std::int64_t>()(k.first) * 257 + k.second;
    }
  };
  mutable std::mutex tile_mu;
  mutable std::list<std::pair<TileKey, Bytes>> tile_lru;
  mutable std::unordered_map<TileKey, decltype(tile_lru)::iterator, TileKeyHash> tile_index;

  std::optional<Bytes> cached_tile(const TileKey& k) const {
    std::lock_guard<std::mutex> lock(tile_mu);
    auto it = tile_index.find(k);
    if (it == tile_index.end()) return std::nullopt;
    tile_lru.splice(tile_lru.begin(), tile_lru, it->second);
    return it->second->second;
  }
  void remember_tile(const TileKey& k, const Bytes& data) const {
    if (options.tile_cache_tiles == 0) return;
    std::lock_guard<std::mutex> lock(tile_mu);
    if (tile_index.count(k) != 0) return;
    tile_lru.emplace_front(k, data);
    tile_index[k] = tile_lru.begin();
    while (tile_lru.size() > options.tile_cache_tiles) {
      tile_index.erase(tile_lru.back().first);
      tile_lru.pop_back();
    }
  }

  std::optional<StoreHashSource> hashes;

  // A reader connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(const Impl* impl, std::unique_ptr<Connection> c) : impl_(impl), c_(std::move(c)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (!c_) return;
      std::lock_guard<std::mutex> lock(impl_->pool_mu);
      if (impl_->pool.size() < 8) impl_->pool.push_back(std::move(c_));
    }
    Connection& operator*() const { return *c_; }

   private:
    const Impl* impl_;
    std::unique_ptr<Connection> c_;
  };

  Result<Lease> reader() const {
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (!pool.empty()) {
        auto c = std::move(pool.back());
        pool.pop_back();
        return Lease(this, std::move(c));
      }
    }
    VERUN_ASSIGN_OR_RETURN(std::unique_ptr<Connection> c, Connection::open(path, /*create=*/false));
    VERUN_TRY(c->exec("PRAGMA query_only = 1"));
    // Reads of entry bundles walk overflow pages; mapping the file saves a
    // pread per page.
    VERUN_TRY(c->exec("PRAGMA mmap_size = 1073741824"));
    return Lease(this, std::move(c));
  }

  std::optional<std::vector<Hash32>> cached(std::uint64_t tile) const {
    std::lock_guard<std::mutex> lock(cache_mu);
    auto it = lru_index.find(tile);
    if (it == lru_index.end()) return std::nullopt;
    lru.splice(lru.begin(), lru, it->second);
    return it->second->second;
  }
  void remember(std::uint64_t tile, const std::vector<Hash32>& hashes_of_tile) const {
    if (options.level0_cache_tiles == 0) return;
    std::lock_guard<std::mutex> lock(cache_mu);
    if (lru_index.count(tile) != 0) return;
    lru.emplace_front(tile, hashes_of_tile);
    lru_index[tile] = lru.begin();
    while (lru.size() > options.level0_cache_tiles) {
      lru_index.erase(lru.back().first);
      lru.pop_back();
    }
  }

  // Leaf hashes of level-0 tile `tile`, its first `width`, recomputed from
  // the entries (full tiles are cached).
  Result<std::vector<Hash32>> leaf_hashes(Connection& c, std::uint64_t tile, std::uint32_t width) const {
    if (auto hit = cached(tile)) {
      hit->resize(width);
      return std::move(*hit);
    }
    VERUN_ASSIGN_OR_RETURN(std::optional<Bytes> bundle, get_bundle(c, tile));
    std::vector<Hash32> out;
    if (bundle) {
      out.reserve(kTileWidth);
      std::size_t off = 0;
      ByteView b(*bundle);
      for (std::uint32_t i = 0; i < kTileWidth; ++i) {
        if (b.size() - off < 2) return corrupt("entry bundle is truncated");
        const std::size_t len = (std::size_t{b[off]} << 8) | b[off + 1];
        if (b.size() - off - 2 < len) return corrupt("entry bundle is truncated");
        out.push_back(proofs::leaf_hash(b.subspan(off + 2, len)));
        off += 2 + len;
      }
      remember(tile, out);
      out.resize(width);
      return out;
    }
    const std::uint64_t begin = tile * kTileWidth;
    VERUN_ASSIGN_OR_RETURN(std::vector<Bytes> tail, get_tail(c, begin, begin + width));
    if (tail.size() != width) {
      return not_found("hash tile 0/" + std::to_string(tile) + " has fewer than " + std::to_string(width) + " hashes");
    }
    out.reserve(width);
    for (const Bytes& e : tail) out.push_back(proofs::leaf_hash(e));
    return out;
  }

  Result<void> fault(std::string_view step) const {
    if (options.fault_injection) return options.fault_injection(step);
    return ok();
  }

  Result<void> append_locked(const AppendBatch& batch);
};

Result<void> SqliteStore::Impl::append_locked(const AppendBatch& batch) {
  Connection& c = *writer;
  const std::uint64_t n = batch.entries.size();
  for (const NewEntry& e : batch.entries) {
    if (e.data.size() > proofs::kMaxEntrySize) {
      return Error(ErrorCode::kLogEntryTooLarge, "entry of " + std::to_string(e.data.size()) + " bytes");
    }
  }
  VERUN_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(c, /*write=*/true));
  VERUN_ASSIGN_OR_RETURN(const std::uint64_t size, stored_size(c));
  if (size != batch.old_size) {
    return Error(ErrorCode::kLogStoreConflict, "batch built on tree size " + std::to_string(batch.old_size) +
                                                   " but the stored size is " + std::to_string(size));
  }
  const std::uint64_t new_size = size + n;
  if (new_size > kMaxIndex) return Error(ErrorCode::kInvalidArgument, "tree size out of range");
  if (batch.right_edge.size() != static_cast<std::size_t>(std::popcount(new_size))) {
    return Error(ErrorCode::kInvalidArgument, "right edge has " + std::to_string(batch.right_edge.size()) +
                                                  " hashes for tree size " + std::to_string(new_size));
  }

  // Entries: full bundles, or one row each in the tail.
  VERUN_TRY(fault("entries"));
  std::uint64_t pos = 0;
  while (pos < n) {
    const std::uint64_t idx = size + pos;
    const std::uint64_t bundle = idx / kTileWidth;
    const std::uint64_t bundle_begin = bundle * kTileWidth;
    const std::uint64_t bundle_end = bundle_begin + kTileWidth;
    if (bundle_end <= new_size) {
      Bytes data;
      if (bundle_begin < size) {
        VERUN_ASSIGN_OR_RETURN(std::vector<Bytes> tail, get_tail(c, bundle_begin, size));
        if (tail.size() != size - bundle_begin) return corrupt("tail lacks entries of bundle " + std::to_string(bundle));
        for (const Bytes& e : tail) VERUN_TRY(proofs::append_bundle_entry(data, e));
      }
      for (std::uint64_t i = idx; i < bundle_end; ++i) {
        VERUN_TRY(proofs::append_bundle_entry(data, batch.entries[i - size].data));
      }
      VERUN_ASSIGN_OR_RETURN(Statement * ins, c.prepare("INSERT INTO bundles(idx, data) VALUES (?1, ?2)"));
      StatementScope s1(*ins);
      ins->bind(1, static_cast<std::int64_t>(bundle)).bind(2, ByteView(data));
      VERUN_TRY(ins->run());
      if (bundle_begin < size) {
        VERUN_ASSIGN_OR_RETURN(Statement * del, c.prepare("DELETE FROM tail WHERE idx < ?1"));
        StatementScope s2(*del);
        del->bind(1, static_cast<std::int64_t>(bundle_end));
        VERUN_TRY(del->run());
      }
      pos = bundle_end - size;
    } else {
      VERUN_ASSIGN_OR_RETURN(Statement * ins, c.prepare("INSERT INTO tail(idx, data) VALUES (?1, ?2)"));
      for (; pos < n; ++pos) {
        StatementScope s1(*ins);
        ins->bind(1, static_cast<std::int64_t>(size + pos)).bind(2, ByteView(batch.entries[pos].data));
        VERUN_TRY(ins->run());
      }
    }
  }
  // Leaf index: new prefixes go to the small leaf_recent b-tree; when the
  // tree crosses a multiple of kRecentSpan, leaf_recent is merged into
  // leaf_index in key order (few, sequential page writes) and emptied.
  VERUN_ASSIGN_OR_RETURN(Statement * leaf, c.prepare("INSERT INTO leaf_recent(prefix, idx) VALUES (?1, ?2)"));
  for (std::uint64_t i = 0; i < n; ++i) {
    StatementScope s1(*leaf);
    leaf->bind(1, leaf_prefix(batch.entries[i].leaf_hash)).bind(2, static_cast<std::int64_t>(size + i));
    VERUN_TRY(leaf->run());
  }
  if (n > 0 && size / kRecentSpan != new_size / kRecentSpan) {
    VERUN_TRY(c.exec("INSERT INTO leaf_index SELECT prefix, idx FROM leaf_recent ORDER BY prefix, idx;"
                     "DELETE FROM leaf_recent;"));
  }
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto& key_id = batch.entries[i].key_id;
    if (!key_id) continue;
    VERUN_ASSIGN_OR_RETURN(Statement * reg, c.prepare("INSERT INTO registrations(key_id, idx) VALUES (?1, ?2)"));
    StatementScope s1(*reg);
    reg->bind_text(1, *key_id).bind(2, static_cast<std::int64_t>(size + i));
    auto r = reg->run();
    if (!r && reg->constraint_failed()) {
      return Error(ErrorCode::kLogKeyAlreadyRegistered, "key_id " + *key_id + " is already registered");
    }
    VERUN_TRY(r);
  }

  // Hash tiles of tile level >= 1: extend the stored right-edge tiles.
  VERUN_TRY(fault("tiles"));
  std::map<std::int64_t, Bytes> dirty;
  for (const auto& [id, hash] : batch.tile_nodes) {
    if (id.level == 0 || id.level % proofs::kTileHeight != 0 || id.level / proofs::kTileHeight > proofs::kMaxTileLevel) {
      return Error(ErrorCode::kInvalidArgument, "tile node at level " + std::to_string(id.level));
    }
    if (id.index >= (new_size >> id.level) ) {
      return Error(ErrorCode::kInvalidArgument, "tile node " + std::to_string(id.index) + " at level " +
                                                    std::to_string(id.level) + " is not complete");
    }
    const std::uint32_t level = id.level / proofs::kTileHeight;
    const std::uint64_t index = id.index / kTileWidth;
    const std::size_t slot = id.index % kTileWidth;
    const std::int64_t key = tile_id(level, index);
    auto it = dirty.find(key);
    if (it == dirty.end()) {
      VERUN_ASSIGN_OR_RETURN(std::optional<Bytes> stored, get_blob_row(c, "SELECT data FROM tiles WHERE id = ?1", key));
      it = dirty.emplace(key, stored ? std::move(*stored) : Bytes()).first;
    }
    if (it->second.size() != slot * 32) {
      return corrupt("hash tile " + std::to_string(level) + "/" + std::to_string(index) + " holds " +
                     std::to_string(it->second.size() / 32) + " hashes, next node is " + std::to_string(slot));
    }
    proofs::append(it->second, ByteView(hash));
  }
  VERUN_ASSIGN_OR_RETURN(Statement * put_tile, c.prepare("INSERT OR REPLACE INTO tiles(id, data) VALUES (?1, ?2)"));
  for (const auto& [key, data] : dirty) {
    StatementScope s1(*put_tile);
    put_tile->bind(1, key).bind(2, ByteView(data));
    VERUN_TRY(put_tile->run());
  }

  VERUN_TRY(fault("blobs"));
  for (const Bytes& blob : batch.blobs) {
    const Hash32 digest = proofs::sha256(blob);
    VERUN_ASSIGN_OR_RETURN(Statement * put, c.prepare("INSERT OR IGNORE INTO blobs(sha256, data) VALUES (?1, ?2)"));
    StatementScope s1(*put);
    put->bind(1, ByteView(digest)).bind(2, ByteView(blob));
    VERUN_TRY(put->run());
  }

  VERUN_TRY(fault("checkpoint"));
  if (!batch.checkpoint.empty()) {
    VERUN_ASSIGN_OR_RETURN(Statement * cp, c.prepare("INSERT OR REPLACE INTO checkpoints(size, note) VALUES (?1, ?2)"));
    StatementScope s1(*cp);
    cp->bind(1, static_cast<std::int64_t>(new_size)).bind_text(2, batch.checkpoint);
    VERUN_TRY(cp->run());
  }

  VERUN_TRY(fault("state"));
  Bytes edge;
  edge.reserve(batch.right_edge.size() * 32);
  for (const Hash32& h : batch.right_edge) proofs::append(edge, ByteView(h));
  VERUN_ASSIGN_OR_RETURN(Statement * st, c.prepare(
      "UPDATE state SET size = ?1, root = ?2, right_edge = ?3, checkpoint = ?4 WHERE id = 0"));
  {
    StatementScope s1(*st);
    st->bind(1, static_cast<std::int64_t>(new_size))
        .bind(2, ByteView(batch.root))
        .bind(3, ByteView(edge))
        .bind_text(4, batch.checkpoint);
    VERUN_TRY(st->run());
  }

  VERUN_TRY(fault("commit"));
  return tx.commit();
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) { impl_->hashes.emplace(*this); }
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& path, SqliteStoreOptions options) {
  const int target = options.schema_version == 0 ? sqlite::kSchemaVersion : options.schema_version;
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = std::move(options);
  VERUN_ASSIGN_OR_RETURN(impl->writer, Connection::open(path, /*create=*/true));
  Connection& c = *impl->writer;
  // Refuse a newer database before changing anything in it.
  VERUN_ASSIGN_OR_RETURN(std::int64_t version, c.query_int("PRAGMA user_version"));
  if (version > sqlite::kSchemaVersion) {
    return Error(ErrorCode::kLogStoreTooNew, "database " + path.string() + " has schema version " +
                                                 std::to_string(version) + ", newer than this program's " +
                                                 std::to_string(sqlite::kSchemaVersion));
  }
  {
    VERUN_ASSIGN_OR_RETURN(Statement * s, c.prepare("PRAGMA journal_mode = WAL"));
    StatementScope scope(*s);
    VERUN_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row || s->column_text(0) != "wal") {
      return Error(ErrorCode::kLogStoreError, "database " + path.string() + " cannot use WAL journal mode");
    }
  }
  // FULL: the WAL is synced at every commit, so a commit that returned
  // survives power loss (NORMAL would only survive a process crash).
  VERUN_TRY(c.exec("PRAGMA synchronous = FULL"));
  VERUN_TRY(c.exec("PRAGMA cache_size = -32768"));  // 32 MiB: keeps the leaf index hot
  // Checkpoint the WAL into the database every 32 MiB rather than every
  // 4 MiB: each checkpoint costs an extra sync of the database file. With
  // the background checkpointer the writer never checkpoints (a commit does
  // not wait for the copy); the WAL file is truncated back to 64 MiB.
  VERUN_TRY(c.exec(impl->options.background_checkpoint ? "PRAGMA wal_autocheckpoint = 0"
                                                       : "PRAGMA wal_autocheckpoint = 8192"));
  VERUN_TRY(c.exec("PRAGMA journal_size_limit = 67108864"));
  if (version < target) {
    VERUN_ASSIGN_OR_RETURN(impl->version, sqlite::migrate(c, target));
  } else {
    impl->version = static_cast<int>(version);
  }
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
  VERUN_TRY(store->read_state());  // O(1): one row
  if (store->impl_->options.background_checkpoint) {
    Impl* raw = store->impl_.get();
    raw->checkpointer = std::thread([raw] { raw->run_checkpoints(); });
  }
  return store;
}

int SqliteStore::schema_version() const { return impl_->version; }

Result<TreeState> SqliteStore::read_state() const {
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Statement * s, (*lease).prepare("SELECT size, root, right_edge, checkpoint FROM state WHERE id = 0"));
  StatementScope scope(*s);
  VERUN_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return corrupt("the state row is missing");
  TreeState st;
  const std::int64_t size = s->column_int64(0);
  if (size < 0) return corrupt("negative tree size");
  st.size = static_cast<std::uint64_t>(size);
  ByteView root = s->column_blob(1);
  if (root.size() != 32) return corrupt("stored root is not 32 bytes");
  std::copy(root.begin(), root.end(), st.root.begin());
  VERUN_ASSIGN_OR_RETURN(st.right_edge, parse_hashes(s->column_blob(2), "stored right edge"));
  if (st.right_edge.size() != static_cast<std::size_t>(std::popcount(st.size))) {
    return corrupt("stored right edge has " + std::to_string(st.right_edge.size()) + " hashes for size " +
                   std::to_string(st.size));
  }
  st.checkpoint = s->column_text(3);
  return st;
}

Result<void> SqliteStore::append(const AppendBatch& batch) {
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  return impl_->append_locked(batch);
}

Result<proofs::Bytes> SqliteStore::read_entry(std::uint64_t index) const {
  if (index >= kMaxIndex) return not_found("no entry at index " + std::to_string(index));
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(*lease, /*write=*/false));
  return entry_at(*lease, index);
}

namespace {

// Candidate indices whose stored prefix equals the leaf hash's, ascending.
Result<std::vector<std::uint64_t>> leaf_candidates(Connection& c, const Hash32& leaf_hash) {
  VERUN_ASSIGN_OR_RETURN(Statement * s, c.prepare(
      "SELECT idx FROM leaf_index WHERE prefix = ?1 UNION ALL "
      "SELECT idx FROM leaf_recent WHERE prefix = ?1 ORDER BY 1"));
  StatementScope scope(*s);
  s->bind(1, leaf_prefix(leaf_hash));
  std::vector<std::uint64_t> out;
  for (;;) {
    VERUN_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) break;
    out.push_back(static_cast<std::uint64_t>(s->column_int64(0)));
  }
  return out;
}

// Within a read snapshot. The prefix may collide (an attacker can find
// 64-bit collisions): each candidate is checked against the hash of its
// stored entry.
Result<std::optional<std::uint64_t>> find_leaf_in(Connection& c, const Hash32& leaf_hash) {
  VERUN_ASSIGN_OR_RETURN(std::vector<std::uint64_t> candidates, leaf_candidates(c, leaf_hash));
  for (std::uint64_t idx : candidates) {
    VERUN_ASSIGN_OR_RETURN(Bytes entry, entry_at(c, idx));
    if (proofs::leaf_hash(entry) == leaf_hash) return std::optional<std::uint64_t>(idx);
  }
  return std::optional<std::uint64_t>();
}

}  // namespace

Result<std::optional<std::uint64_t>> SqliteStore::find_leaf(const proofs::Hash32& leaf_hash) const {
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(*lease, /*write=*/false));
  return find_leaf_in(*lease, leaf_hash);
}

Result<std::vector<std::optional<std::uint64_t>>> SqliteStore::find_leaves(
    std::span<const proofs::Hash32> leaf_hashes) const {
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(*lease, /*write=*/false));
  std::vector<std::optional<std::uint64_t>> out;
  out.reserve(leaf_hashes.size());
  for (const Hash32& h : leaf_hashes) {
    VERUN_ASSIGN_OR_RETURN(std::optional<std::uint64_t> idx, find_leaf_in(*lease, h));
    out.push_back(idx);
  }
  return out;
}

Result<std::optional<std::uint64_t>> SqliteStore::find_registration(std::string_view key_id) const {
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Statement * s, (*lease).prepare("SELECT idx FROM registrations WHERE key_id = ?1"));
  StatementScope scope(*s);
  s->bind_text(1, key_id);
  VERUN_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return std::optional<std::uint64_t>();
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(s->column_int64(0)));
}

Result<proofs::Bytes> SqliteStore::read_hash_tile(std::uint32_t level, std::uint64_t index,
                                                  std::uint32_t width) const {
  if (level > proofs::kMaxTileLevel || width == 0 || width > kTileWidth || index >= (std::uint64_t{1} << 56)) {
    return Error(ErrorCode::kInvalidArgument, "hash tile " + std::to_string(level) + "/" + std::to_string(index) +
                                                  " at width " + std::to_string(width) + " is out of range");
  }
  // Full level-0 tiles have their own cache (Impl::leaf_hashes); every
  // other tile at a given width is immutable and cached here.
  const Impl::TileKey key{tile_id(level, index), width};
  const bool use_tile_cache = level > 0 || width < kTileWidth;
  if (use_tile_cache) {
    if (auto hit = impl_->cached_tile(key)) return std::move(*hit);
  }
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  Connection& c = *lease;
  Bytes out;
  if (level == 0) {
    VERUN_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(c, /*write=*/false));
    VERUN_ASSIGN_OR_RETURN(std::vector<Hash32> hashes, impl_->leaf_hashes(c, index, width));
    out.reserve(hashes.size() * 32);
    for (const Hash32& h : hashes) proofs::append(out, ByteView(h));
    if (use_tile_cache) impl_->remember_tile(key, out);
    return out;
  }
  VERUN_ASSIGN_OR_RETURN(std::optional<Bytes> tile, get_blob_row(c, "SELECT data FROM tiles WHERE id = ?1", tile_id(level, index)));
  if (!tile || tile->size() < std::size_t{width} * 32) {
    return not_found("hash tile " + std::to_string(level) + "/" + std::to_string(index) + " has fewer than " +
                     std::to_string(width) + " hashes");
  }
  tile->resize(std::size_t{width} * 32);
  impl_->remember_tile(key, *tile);
  return std::move(*tile);
}

Result<proofs::Bytes> SqliteStore::read_entry_bundle(std::uint64_t index, std::uint32_t width) const {
  if (width == 0 || width > kTileWidth || index >= (std::uint64_t{1} << 54)) {
    return Error(ErrorCode::kInvalidArgument, "entry bundle " + std::to_string(index) + " at width " +
                                                  std::to_string(width) + " is out of range");
  }
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(*lease, /*write=*/false));
  return bundle_bytes(*lease, index, width);
}

Result<std::string> SqliteStore::read_checkpoint(std::uint64_t size) const {
  if (size >= kMaxIndex) return not_found("no checkpoint at size " + std::to_string(size));
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Statement * s, (*lease).prepare("SELECT note FROM checkpoints WHERE size = ?1"));
  StatementScope scope(*s);
  s->bind(1, static_cast<std::int64_t>(size));
  VERUN_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return not_found("no checkpoint at size " + std::to_string(size));
  return s->column_text(0);
}

Result<std::vector<std::uint64_t>> SqliteStore::checkpoint_sizes() const {
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Statement * s, (*lease).prepare("SELECT size FROM checkpoints ORDER BY size"));
  StatementScope scope(*s);
  std::vector<std::uint64_t> out;
  for (;;) {
    VERUN_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) break;
    out.push_back(static_cast<std::uint64_t>(s->column_int64(0)));
  }
  return out;
}

Result<proofs::Hash32> SqliteStore::put_blob(proofs::ByteView data) {
  const Hash32 digest = proofs::sha256(data);
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  Connection& c = *impl_->writer;
  VERUN_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(c, /*write=*/true));
  {
    VERUN_ASSIGN_OR_RETURN(Statement * put, c.prepare("INSERT OR IGNORE INTO blobs(sha256, data) VALUES (?1, ?2)"));
    StatementScope s1(*put);
    put->bind(1, ByteView(digest)).bind(2, data);
    VERUN_TRY(put->run());
  }
  VERUN_TRY(tx.commit());
  return digest;
}

Result<proofs::Bytes> SqliteStore::read_blob(const proofs::Hash32& sha256) const {
  VERUN_ASSIGN_OR_RETURN(Impl::Lease lease, impl_->reader());
  VERUN_ASSIGN_OR_RETURN(Statement * s, (*lease).prepare("SELECT data FROM blobs WHERE sha256 = ?1"));
  StatementScope scope(*s);
  s->bind(1, ByteView(sha256));
  VERUN_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return not_found("no blob with that sha256");
  ByteView v = s->column_blob(0);
  return Bytes(v.begin(), v.end());
}

const proofs::HashSource& SqliteStore::hash_source() const { return *impl_->hashes; }

}  // namespace verun::log
