// C2SP tlog-policy parsing and quorum evaluation.
#include "verun/proofs/note/tlog_policy.h"

#include <algorithm>
#include <map>
#include <set>

#include "text_util.h"

namespace verun::proofs {
namespace {

Error malformed(std::size_t line_no, std::string msg) {
  return Error(ErrorCode::kTlogPolicyMalformed, "line " + std::to_string(line_no) + ": " + msg);
}

// Splits at runs of spaces and tabs (the spec's only whitespace).
std::vector<std::string_view> tokens(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

constexpr std::string_view kNone = "none";

// Which witnesses (by index) are satisfied, then every group in order.
bool evaluate(const TlogPolicy& policy, const std::vector<bool>& witness_ok) {
  if (policy.quorum == kNone) return true;
  std::map<std::string_view, bool> ok;
  for (std::size_t i = 0; i < policy.witnesses.size(); ++i) ok[policy.witnesses[i].name] = witness_ok[i];
  for (const auto& g : policy.groups) {
    std::size_t n = 0;
    for (const auto& m : g.members) n += ok[m] ? 1 : 0;
    ok[g.name] = n >= g.threshold;
  }
  return ok[policy.quorum];
}

std::vector<bool> satisfied(const TlogPolicy& policy, std::span<const VerifiedCosignature> cosignatures,
                            std::optional<std::uint64_t> up_to) {
  std::vector<bool> out(policy.witnesses.size(), false);
  for (std::size_t i = 0; i < policy.witnesses.size(); ++i) {
    const auto& key = policy.witnesses[i].key;
    for (const auto& c : cosignatures) {
      if (c.key_id == key.key_id() && c.name == key.name() && (!up_to || c.timestamp <= *up_to)) out[i] = true;
    }
  }
  return out;
}

}  // namespace

Result<TlogPolicy> parse_tlog_policy(std::string_view text) {
  if (text.size() > kMaxPolicyBytes) return malformed(0, "the policy is larger than 1 MiB");
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
      return malformed(0, "the policy holds a control character other than tab and newline");
  }
  if (!text.empty() && text.back() != '\n') return malformed(0, "the last line does not end in a newline");

  TlogPolicy policy;
  std::set<std::string, std::less<>> names;         // witnesses and groups
  std::set<std::string, std::less<>> used_members;  // listed in some group
  bool have_quorum = false;
  const auto lines = note_detail::split_lines(text);
  for (std::size_t ln = 0; ln < lines.size(); ++ln) {
    const std::size_t no = ln + 1;
    const auto t = tokens(lines[ln]);
    if (t.empty() || t[0].front() == '#') continue;
    const std::string_view kw = t[0];
    if (kw == "log") {
      if (t.size() < 2 || t.size() > 3) return malformed(no, "a log line is: log <vkey> [<url>]");
      auto key = parse_verifier_key(t[1]);
      if (!key) return malformed(no, "bad log key: " + key.error().message);
      if (key->type() != NoteKeyType::kEd25519) return malformed(no, "a log key is an Ed25519 (0x01) note key");
      for (const auto& l : policy.logs) {
        if (std::ranges::equal(l.key.public_key(), key->public_key())) return malformed(no, "duplicate log key");
      }
      if (policy.logs.size() == kMaxPolicyLogs) return malformed(no, "too many logs");
      policy.logs.push_back(TlogPolicy::Log{*key, t.size() == 3 ? std::optional<std::string>(t[2]) : std::nullopt});
    } else if (kw == "witness") {
      if (t.size() < 3 || t.size() > 4) return malformed(no, "a witness line is: witness <name> <vkey> [<url>]");
      if (t[1] == kNone || names.count(t[1])) return malformed(no, "the name " + std::string(t[1]) + " is taken");
      auto key = parse_verifier_key(t[2]);
      if (!key) return malformed(no, "bad witness key: " + key.error().message);
      if (key->type() != NoteKeyType::kCosignatureV1)
        return malformed(no, "a witness key is a cosignature/v1 (0x04) key");
      for (const auto& w : policy.witnesses) {
        if (std::ranges::equal(w.key.public_key(), key->public_key()))
          return malformed(no, "duplicate witness key");
      }
      if (policy.witnesses.size() == kMaxPolicyWitnesses) return malformed(no, "too many witnesses");
      names.emplace(t[1]);
      policy.witnesses.push_back(TlogPolicy::Witness{
          std::string(t[1]), *key, t.size() == 4 ? std::optional<std::string>(t[3]) : std::nullopt});
    } else if (kw == "group") {
      if (t.size() < 4) return malformed(no, "a group line is: group <name> all|any|<k> <member>...");
      if (t[1] == kNone || names.count(t[1])) return malformed(no, "the name " + std::string(t[1]) + " is taken");
      TlogPolicy::Group g;
      g.name = std::string(t[1]);
      std::set<std::string_view> here;
      for (std::size_t i = 3; i < t.size(); ++i) {
        if (t[i] == kNone || !names.count(t[i]))
          return malformed(no, "group member " + std::string(t[i]) + " is not defined above");
        if (used_members.count(t[i]) || !here.insert(t[i]).second)
          return malformed(no, "group member " + std::string(t[i]) + " is already listed in a group");
        g.members.emplace_back(t[i]);
      }
      const std::size_t n = g.members.size();
      if (t[2] == "all") {
        g.threshold = n;
      } else if (t[2] == "any") {
        g.threshold = 1;
      } else {
        const auto k = note_detail::parse_decimal(t[2]);
        if (!k || *k < 1 || *k > n) return malformed(no, "the threshold must be all, any or 1..n");
        g.threshold = static_cast<std::size_t>(*k);
      }
      if (policy.groups.size() == kMaxPolicyGroups) return malformed(no, "too many groups");
      for (const auto& m : g.members) used_members.insert(m);
      names.insert(g.name);
      policy.groups.push_back(std::move(g));
    } else if (kw == "quorum") {
      if (t.size() != 2) return malformed(no, "a quorum line is: quorum <name>");
      if (have_quorum) return malformed(no, "there is more than one quorum line");
      if (t[1] != kNone && !names.count(t[1]))
        return malformed(no, "the quorum " + std::string(t[1]) + " is not defined above");
      policy.quorum = std::string(t[1]);
      have_quorum = true;
    } else {
      return malformed(no, "unknown keyword " + std::string(kw));
    }
  }
  if (!have_quorum) return malformed(lines.size(), "the policy has no quorum line");
  return policy;
}

std::vector<NoteVerifier> policy_witness_keys(const TlogPolicy& policy) {
  std::vector<NoteVerifier> out;
  for (const auto& w : policy.witnesses) out.push_back(w.key);
  return out;
}

bool quorum_met(const TlogPolicy& policy, std::span<const VerifiedCosignature> cosignatures) {
  return evaluate(policy, satisfied(policy, cosignatures, std::nullopt));
}

Result<void> verify_quorum(const TlogPolicy& policy, std::span<const VerifiedCosignature> cosignatures) {
  if (!quorum_met(policy, cosignatures))
    return Error(ErrorCode::kTlogPolicyQuorumNotMet,
                 "the cosignatures do not meet quorum " + policy.quorum);
  return {};
}

std::optional<std::uint64_t> quorum_time(const TlogPolicy& policy,
                                         std::span<const VerifiedCosignature> cosignatures) {
  if (policy.quorum == kNone) return std::uint64_t{0};
  std::vector<std::uint64_t> times;
  for (const auto& c : cosignatures) times.push_back(c.timestamp);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  for (const std::uint64_t t : times) {
    if (evaluate(policy, satisfied(policy, cosignatures, t))) return t;
  }
  return std::nullopt;
}

}  // namespace verun::proofs
