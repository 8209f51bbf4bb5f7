// ObjectReader: the strict reader over one parsed JSON object that every verun
// document parser uses (DESIGN.md §10): lowercase hex, standard padded base64,
// DigestSet exactly {"sha256": <64 hex>}, and finish() rejecting any field
// never read, named with its path (e.g. "predicate.workload.foo").
// It borrows the Json (which must outlive it); one reader per thread.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

// Which codes a document's errors carry (a policy parser passes policy.*).
struct SchemaCodes {
  ErrorCode unknown_field = ErrorCode::kSchemaUnknownField;
  ErrorCode missing_field = ErrorCode::kSchemaMissingField;
  ErrorCode invalid_field = ErrorCode::kSchemaInvalidField;
};

inline constexpr std::int64_t kMaxJsonInteger = (std::int64_t{1} << 53) - 1;

class ObjectReader {
 public:
  // invalid_field (naming path) unless value is an object.
  static Result<ObjectReader> make(const Json& value, std::string path, SchemaCodes codes = {});

  const std::string& path() const { return path_; }
  const SchemaCodes& codes() const { return codes_; }
  // "path.name", or "name" at the root (empty path).
  std::string field_path(std::string_view name) const;
  // Whether the field is present (does not mark it as read).
  bool has(std::string_view name) const;

  // The field's raw value, marked as read: required (missing_field) or
  // optional (nullptr when absent).
  Result<const Json*> value(std::string_view name);
  const Json* find(std::string_view name);

  // A string; non-empty unless allow_empty, at most max_bytes bytes.
  Result<std::string> string(std::string_view name, std::size_t max_bytes = 4096, bool allow_empty = false);
  Result<std::optional<std::string>> optional_string(std::string_view name, std::size_t max_bytes = 4096,
                                                      bool allow_empty = false);
  // An integer in [min, max] (a float never gets here: verun JSON rejects it).
  Result<std::int64_t> integer(std::string_view name, std::int64_t min = -kMaxJsonInteger,
                               std::int64_t max = kMaxJsonInteger);
  Result<std::optional<std::int64_t>> optional_integer(std::string_view name, std::int64_t min = -kMaxJsonInteger,
                                                       std::int64_t max = kMaxJsonInteger);
  Result<bool> boolean(std::string_view name);
  Result<std::optional<bool>> optional_boolean(std::string_view name);
  // A nested object, read by a child reader whose path is "path.name".
  Result<ObjectReader> object(std::string_view name);
  Result<std::optional<ObjectReader>> optional_object(std::string_view name);
  // An array (its elements are named "path.name[i]", see element_path).
  Result<const Json*> array(std::string_view name);
  std::string element_path(std::string_view name, std::size_t index) const;

  // Lowercase hex decoding to exactly `bytes` bytes.
  Result<Bytes> hex(std::string_view name, std::size_t bytes);
  Result<Hash32> hex32(std::string_view name);
  // Standard padded base64; exact_bytes checks the decoded length when set;
  // a zero-length value is refused unless allow_empty.
  Result<Bytes> base64(std::string_view name, std::optional<std::size_t> exact_bytes = std::nullopt,
                       bool allow_empty = false);
  Result<Hash32> base64_32(std::string_view name);
  // A DigestSet exactly {"sha256": "<64 lowercase hex>"}.
  Result<Hash32> digest_set(std::string_view name);
  // An RFC 3339 time (rfc3339.h); errors carry invalid_field.
  Result<Timestamp> time(std::string_view name);

  // unknown_field naming the first field never read.
  Result<void> finish() const;

  // Errors naming a field of this object, for checks done by the caller.
  Error invalid(std::string_view name, std::string_view why) const;
  Error missing(std::string_view name) const;

 private:
  ObjectReader(const Json* obj, std::string path, SchemaCodes codes);
  std::optional<std::size_t> index_of(std::string_view name) const;

  const Json* obj_ = nullptr;
  std::string path_;
  SchemaCodes codes_;
  std::vector<std::string> names_;  // the object's keys, in iteration order
  std::vector<bool> read_;
};

// Free helpers for values that are not members (array elements, map values).
// `path` names the value in errors.
Result<Hash32> read_digest_set(const Json& value, const std::string& path, SchemaCodes codes = {});
Result<Bytes> read_lower_hex(const Json& value, std::size_t bytes, const std::string& path, SchemaCodes codes = {});
Result<Bytes> read_base64(const Json& value, const std::string& path, SchemaCodes codes = {},
                          std::optional<std::size_t> exact_bytes = std::nullopt, bool allow_empty = false);
// {"sha256": "<hex>"} as Json.
Json digest_set_json(const Hash32& sha256);

}  // namespace verun::proofs
