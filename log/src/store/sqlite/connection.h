// Thin RAII wrappers over the SQLite C API for the log's store: a connection
// with a cache of prepared statements (prepared once, reset and reused), and
// a statement with typed binds and columns. Every SQLite failure becomes
// log.store_error. A Connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace verun::log::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based, as in SQLite.
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, proofs::ByteView v);  // copied (SQLITE_TRANSIENT)
  Statement& bind_text(int i, std::string_view v);
  // Steps once: true when a row is ready, false when done.
  // Errors: log.store_error, log.key_already_registered is NOT mapped here
  // (callers check constraint() after a failure).
  Result<bool> step();
  // Steps to completion, ignoring rows.
  Result<void> run();
  // The result code of the last failed step (SQLite extended code).
  int last_code() const { return last_code_; }
  bool constraint_failed() const;

  std::int64_t column_int64(int i) const;
  proofs::ByteView column_blob(int i) const;  // valid until the next step/reset
  std::string column_text(int i) const;
  bool column_is_null(int i) const;

  // Clears bindings and resets, so the statement is ready for reuse.
  void reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int last_code_ = 0;
  mutable std::string bind_error_;
};

// Resets a cached statement when the scope ends.
class StatementScope {
 public:
  explicit StatementScope(Statement& s) : s_(s) {}
  ~StatementScope() { s_.reset(); }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

class Connection {
 public:
  // Opens (creating when `create`) the database file. Errors: log.store_error.
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results. Errors: log.store_error.
  Result<void> exec(std::string_view sql);
  // The cached prepared statement for sql (prepared on first use).
  Result<Statement*> prepare(const std::string& sql);
  // A single integer from a one-row query such as "PRAGMA user_version".
  Result<std::int64_t> query_int(const std::string& sql);

  // An error for the last failure on this connection.
  Error error(std::string_view what) const;
  sqlite3* raw() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// A write transaction (BEGIN IMMEDIATE) or a read snapshot (BEGIN) that rolls
// back unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& c, bool write);
  Transaction(Transaction&& o) noexcept : c_(o.c_) { o.c_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> commit();

 private:
  explicit Transaction(Connection* c) : c_(c) {}
  Connection* c_;
};

}  // namespace verun::log::sqlite
