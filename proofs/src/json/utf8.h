// UTF-8 well-formedness check shared by the strict parser and the JCS
// serializer (RFC 3629 §4: no overlong forms, no surrogates, nothing above
// U+10FFFF). Private to proofs/src/json. Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace verun::proofs::json_detail {

// The offset of the first byte that starts an ill-formed sequence, or
// nullopt when the whole text is well-formed UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

}  // namespace verun::proofs::json_detail
