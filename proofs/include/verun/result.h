// verun::Result<T>: a value or the Error that explains why there is none.
//
//   Result<Checkpoint> r = parse_checkpoint(text);
//   if (!r) return r.error();            // propagate
//   use(r->origin);                      // or *r, r.value()
//
// Expected failures (bad input, a failed check) are values; exceptions are
// kept for programmer errors: value() on an error throws BadResultAccess.
// Member names follow std::expected so that a later move is a rename.
// Propagate with VERUN_TRY(expr) and VERUN_ASSIGN_OR_RETURN(lhs, expr).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "verun/error_code.h"

namespace verun {

// A stable code plus a plain, lowercase sentence without a trailing period.
// The message never holds secrets or plaintext.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}

  // "code: message", for humans and logs.
  std::string to_string() const;
};

class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(const Error& e)
      : std::logic_error("value() of an error result: " + e.to_string()) {}
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& v) : v_(v) {}                  // NOLINT: implicit by design
  Result(T&& v) : v_(std::move(v)) {}            // NOLINT
  Result(Error e) : v_(std::move(e)) {}          // NOLINT
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Result> &&
                                        !std::is_same_v<std::decay_t<U>, Error> &&
                                        !std::is_same_v<std::decay_t<U>, T>>>
  Result(U&& u) : v_(T(std::forward<U>(u))) {}   // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  T&& value() && { check(); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& alt) const& { return has_value() ? std::get<0>(v_) : T(std::forward<U>(alt)); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }
  ErrorCode code() const { return has_value() ? ErrorCode::kOk : error().code; }

 private:
  void check() const {
    if (!has_value()) throw BadResultAccess(std::get<1>(v_));
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : e_(std::move(e)), ok_(false) {}  // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const {
    if (!ok_) throw BadResultAccess(e_);
  }
  const Error& error() const& { return e_; }
  Error&& error() && { return std::move(e_); }
  ErrorCode code() const { return ok_ ? ErrorCode::kOk : e_.code; }

 private:
  Error e_;
  bool ok_ = true;
};

inline Result<void> ok() { return {}; }

}  // namespace verun

#define VERUN_CONCAT_INNER_(a, b) a##b
#define VERUN_CONCAT_(a, b) VERUN_CONCAT_INNER_(a, b)

// Evaluates expr (a Result<...>); on error returns the error from the caller.
#define VERUN_TRY(expr)                                   \
  do {                                                    \
    auto&& verun_try_r_ = (expr);                         \
    if (!verun_try_r_) return std::move(verun_try_r_).error(); \
  } while (0)

// lhs = value of expr, or return its error. lhs may be a declaration.
#define VERUN_ASSIGN_OR_RETURN(lhs, expr) \
  VERUN_ASSIGN_OR_RETURN_IMPL_(VERUN_CONCAT_(verun_aor_, __LINE__), lhs, expr)
#define VERUN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp) return std::move(tmp).error();           \
  lhs = std::move(tmp).value()
