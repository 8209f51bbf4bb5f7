// Private helpers for the note module's line-based text formats: UTF-8
// checks, Unicode space detection (Go's unicode.IsSpace set, as x/mod uses
// for key names), strict decimal parsing and line splitting. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace verun::proofs::note_detail {

// Whole-string UTF-8 validity (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);
// True when s is valid UTF-8 and contains a Unicode space character.
bool contains_unicode_space(std::string_view s);
// ASCII decimal without leading zeros ("0" alone is allowed), fitting in
// uint64. nullopt otherwise.
std::optional<std::uint64_t> parse_decimal(std::string_view s);
// Splits text that ends in '\n' into its lines (without the newlines).
// Precondition: !text.empty() && text.back() == '\n'.
std::vector<std::string_view> split_lines(std::string_view text);
// "%08x".
std::string hex8(std::uint32_t v);

}  // namespace verun::proofs::note_detail
