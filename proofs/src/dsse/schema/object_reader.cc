// The strict object reader of DESIGN.md §10; see object_reader.h.
#include "verun/proofs/schema/object_reader.h"

#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

std::string join(const std::string& path, std::string_view name) {
  if (path.empty()) return std::string(name);
  return path + "." + std::string(name);
}

const char* type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a float";
    case Json::value_t::null: return "null";
    default: return "an unexpected value";
  }
}

Error invalid_at(const SchemaCodes& codes, const std::string& path, std::string_view why) {
  return Error(codes.invalid_field, "field " + path + " " + std::string(why));
}

bool is_lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

ObjectReader::ObjectReader(const Json* obj, std::string path, SchemaCodes codes)
    : obj_(obj), path_(std::move(path)), codes_(codes) {
  names_.reserve(obj_->size());
  for (auto it = obj_->begin(); it != obj_->end(); ++it) names_.push_back(it.key());
  read_.assign(names_.size(), false);
}

Result<ObjectReader> ObjectReader::make(const Json& value, std::string path, SchemaCodes codes) {
  if (!value.is_object())
    return invalid_at(codes, path.empty() ? std::string("(document)") : path,
                      std::string("must be an object, not ") + type_name(value));
  return ObjectReader(&value, std::move(path), codes);
}

std::string ObjectReader::field_path(std::string_view name) const { return join(path_, name); }

std::string ObjectReader::element_path(std::string_view name, std::size_t index) const {
  return field_path(name) + "[" + std::to_string(index) + "]";
}

std::optional<std::size_t> ObjectReader::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return i;
  return std::nullopt;
}

bool ObjectReader::has(std::string_view name) const { return index_of(name).has_value(); }

Error ObjectReader::invalid(std::string_view name, std::string_view why) const {
  return invalid_at(codes_, field_path(name), why);
}

Error ObjectReader::missing(std::string_view name) const {
  return Error(codes_.missing_field, "required field " + field_path(name) + " is missing");
}

const Json* ObjectReader::find(std::string_view name) {
  auto i = index_of(name);
  if (!i) return nullptr;
  read_[*i] = true;
  return &obj_->find(std::string(name)).value();
}

Result<const Json*> ObjectReader::value(std::string_view name) {
  const Json* v = find(name);
  if (!v) return missing(name);
  return v;
}

Result<std::optional<std::string>> ObjectReader::optional_string(std::string_view name, std::size_t max_bytes,
                                                                 bool allow_empty) {
  const Json* v = find(name);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return invalid(name, std::string("must be a string, not ") + type_name(*v));
  const auto& s = v->get_ref<const std::string&>();
  if (s.empty() && !allow_empty) return invalid(name, "must not be empty");
  if (s.size() > max_bytes) return invalid(name, "is longer than " + std::to_string(max_bytes) + " bytes");
  return std::optional<std::string>(s);
}

Result<std::string> ObjectReader::string(std::string_view name, std::size_t max_bytes, bool allow_empty) {
  VERUN_ASSIGN_OR_RETURN(auto s, optional_string(name, max_bytes, allow_empty));
  if (!s) return missing(name);
  return std::move(*s);
}

Result<std::optional<std::int64_t>> ObjectReader::optional_integer(std::string_view name, std::int64_t min,
                                                                   std::int64_t max) {
  const Json* v = find(name);
  if (!v) return std::optional<std::int64_t>();
  std::int64_t n = 0;
  if (v->is_number_unsigned()) {
    auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(kMaxJsonInteger)) return invalid(name, "is out of range");
    n = static_cast<std::int64_t>(u);
  } else if (v->is_number_integer()) {
    n = v->get<std::int64_t>();
  } else {
    return invalid(name, std::string("must be an integer, not ") + type_name(*v));
  }
  if (n < min || n > max)
    return invalid(name, "is " + std::to_string(n) + ", outside [" + std::to_string(min) + ", " +
                             std::to_string(max) + "]");
  return std::optional<std::int64_t>(n);
}

Result<std::int64_t> ObjectReader::integer(std::string_view name, std::int64_t min, std::int64_t max) {
  VERUN_ASSIGN_OR_RETURN(auto n, optional_integer(name, min, max));
  if (!n) return missing(name);
  return *n;
}

Result<std::optional<bool>> ObjectReader::optional_boolean(std::string_view name) {
  const Json* v = find(name);
  if (!v) return std::optional<bool>();
  if (!v->is_boolean()) return invalid(name, std::string("must be a boolean, not ") + type_name(*v));
  return std::optional<bool>(v->get<bool>());
}

Result<bool> ObjectReader::boolean(std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(auto b, optional_boolean(name));
  if (!b) return missing(name);
  return *b;
}

Result<std::optional<ObjectReader>> ObjectReader::optional_object(std::string_view name) {
  const Json* v = find(name);
  if (!v) return std::optional<ObjectReader>();
  if (!v->is_object()) return invalid(name, std::string("must be an object, not ") + type_name(*v));
  return std::optional<ObjectReader>(ObjectReader(v, field_path(name), codes_));
}

Result<ObjectReader> ObjectReader::object(std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(auto o, optional_object(name));
  if (!o) return missing(name);
  return std::move(*o);
}

Result<const Json*> ObjectReader::array(std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(const Json* v, value(name));
  if (!v->is_array()) return invalid(name, std::string("must be an array, not ") + type_name(*v));
  return v;
}

Result<Bytes> ObjectReader::hex(std::string_view name, std::size_t bytes) {
  VERUN_ASSIGN_OR_RETURN(const Json* v, value(name));
  return read_lower_hex(*v, bytes, field_path(name), codes_);
}

Result<Hash32> ObjectReader::hex32(std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(Bytes b, hex(name, 32));
  Hash32 h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

Result<Bytes> ObjectReader::base64(std::string_view name, std::optional<std::size_t> exact_bytes, bool allow_empty) {
  VERUN_ASSIGN_OR_RETURN(const Json* v, value(name));
  return read_base64(*v, field_path(name), codes_, exact_bytes, allow_empty);
}

Result<Hash32> ObjectReader::base64_32(std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(Bytes b, base64(name, 32));
  Hash32 h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

Result<Hash32> ObjectReader::digest_set(std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(const Json* v, value(name));
  return read_digest_set(*v, field_path(name), codes_);
}

Result<Timestamp> ObjectReader::time(std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(std::string s, string(name, 64));
  auto t = parse_rfc3339(s);
  if (!t) return invalid(name, "is not an RFC 3339 UTC time (" + t.error().message + ")");
  return *t;
}

Result<void> ObjectReader::finish() const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (!read_[i]) {
      std::string shown = names_[i].size() > 64 ? names_[i].substr(0, 64) + "..." : names_[i];
      return Error(codes_.unknown_field, "unknown field " + join(path_, shown));
    }
  return ok();
}

Result<Bytes> read_lower_hex(const Json& v, std::size_t bytes, const std::string& path, SchemaCodes codes) {
  if (!v.is_string()) return invalid_at(codes, path, std::string("must be a hex string, not ") + type_name(v));
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() != 2 * bytes)
    return invalid_at(codes, path,
                      "must be " + std::to_string(2 * bytes) + " hex characters, got " + std::to_string(s.size()));
  if (!is_lower_hex(s)) return invalid_at(codes, path, "must be lowercase hex");
  auto b = hex_decode(s);
  if (!b) return invalid_at(codes, path, "must be lowercase hex");
  return std::move(*b);
}

Result<Bytes> read_base64(const Json& v, const std::string& path, SchemaCodes codes,
                          std::optional<std::size_t> exact_bytes, bool allow_empty) {
  if (!v.is_string()) return invalid_at(codes, path, std::string("must be a base64 string, not ") + type_name(v));
  auto b = base64_decode(v.get_ref<const std::string&>());
  if (!b) return invalid_at(codes, path, "must be standard padded base64");
  if (exact_bytes && b->size() != *exact_bytes)
    return invalid_at(codes, path,
                      "must decode to " + std::to_string(*exact_bytes) + " bytes, got " + std::to_string(b->size()));
  if (b->empty() && !allow_empty) return invalid_at(codes, path, "must not be empty");
  return std::move(*b);
}

Result<Hash32> read_digest_set(const Json& v, const std::string& path, SchemaCodes codes) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(v, path, codes));
  VERUN_ASSIGN_OR_RETURN(Hash32 h, r.hex32("sha256"));
  VERUN_TRY(r.finish());
  return h;
}

Json digest_set_json(const Hash32& sha256) {
  Json j = Json::object();
  j["sha256"] = hex_encode(sha256);
  return j;
}

}  // namespace verun::proofs
