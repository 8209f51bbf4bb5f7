#include "store/sqlite/connection.h"

#include <sqlite3.h>

namespace verun::log::sqlite {
namespace {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += " failed: ";
  msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  msg += " (sqlite code " + std::to_string(rc) + ")";
  return Error(ErrorCode::kLogStoreError, std::move(msg));
}

}  // namespace

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, proofs::ByteView v) {
  // A zero-length blob needs a non-null pointer to be a blob, not NULL.
  static const std::uint8_t kEmpty = 0;
  sqlite3_bind_blob64(stmt_, i, v.empty() ? &kEmpty : v.data(), v.size(), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_text(int i, std::string_view v) {
  sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  last_code_ = sqlite3_extended_errcode(db_);
  return sqlite_error(db_, rc, std::string("statement \"") + sqlite3_sql(stmt_) + "\"");
}

Result<void> Statement::run() {
  for (;;) {
    VERUN_ASSIGN_OR_RETURN(bool row, step());
    if (!row) return ok();
  }
}

bool Statement::constraint_failed() const { return (last_code_ & 0xff) == SQLITE_CONSTRAINT; }

std::int64_t Statement::column_int64(int i) const { return sqlite3_column_int64(stmt_, i); }
proofs::ByteView Statement::column_blob(int i) const {
  const void* p = sqlite3_column_blob(stmt_, i);
  const int n = sqlite3_column_bytes(stmt_, i);
  if (p == nullptr || n <= 0) return {};
  return {static_cast<const std::uint8_t*>(p), static_cast<std::size_t>(n)};
}
std::string Statement::column_text(int i) const {
  const unsigned char* p = sqlite3_column_text(stmt_, i);
  const int n = sqlite3_column_bytes(stmt_, i);
  if (p == nullptr || n <= 0) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}
bool Statement::column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(db, rc, "opening " + path.string());
    sqlite3_close_v2(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  // The sequencer is the only writer; a reader never blocks it in WAL mode.
  // A short busy timeout covers WAL checkpoints and recovery on open.
  sqlite3_busy_timeout(db, 10000);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  statements_.clear();  // finalize before closing
  sqlite3_close_v2(db_);
}

Result<void> Connection::exec(std::string_view sql) {
  const std::string s(sql);
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "\"" + s + "\"");
  return ok();
}

Result<Statement*> Connection::prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "preparing \"" + sql + "\"");
  auto owned = std::make_unique<Statement>(db_, stmt);
  Statement* raw = owned.get();
  statements_.emplace(sql, std::move(owned));
  return raw;
}

Result<std::int64_t> Connection::query_int(const std::string& sql) {
  VERUN_ASSIGN_OR_RETURN(Statement * s, prepare(sql));
  StatementScope scope(*s);
  VERUN_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return Error(ErrorCode::kLogStoreError, "\"" + sql + "\" returned no row");
  return s->column_int64(0);
}

Error Connection::error(std::string_view what) const {
  return sqlite_error(db_, sqlite3_extended_errcode(db_), what);
}

Result<Transaction> Transaction::begin(Connection& c, bool write) {
  VERUN_TRY(c.exec(write ? "BEGIN IMMEDIATE" : "BEGIN"));
  return Transaction(&c);
}

Transaction::~Transaction() {
  if (c_ != nullptr) (void)c_->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
  Connection* c = c_;
  c_ = nullptr;
  auto r = c->exec("COMMIT");
  if (!r) (void)c->exec("ROLLBACK");
  return r;
}

}  // namespace verun::log::sqlite
