// DCAP collateral parsing (Intel PCS API v4: TCB info, enclave identity,
// CRLs); see dcap_collateral.h.
#include "verun/proofs/evidence/dcap_collateral.h"

#include <algorithm>
#include <cstdio>

#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/strict_json.h"

namespace verun::proofs {
namespace {

constexpr std::size_t kMaxCollateralJson = 1024 * 1024;

Error bad(const std::string& what) { return Error(ErrorCode::kIntelCollateralMalformed, what); }

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The end (one past) of the JSON string starting at text[pos] == '"'.
std::size_t skip_string(std::string_view text, std::size_t pos) {
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The end (one past) of the JSON value starting at text[pos]. Only called on
// text that parse_json accepted, but still bounds-checked.
std::size_t skip_value(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return std::string_view::npos;
  if (text[pos] == '"') return skip_string(text, pos);
  if (text[pos] == '{' || text[pos] == '[') {
    std::size_t depth = 0;
    for (std::size_t i = pos; i < text.size(); ++i) {
      char c = text[i];
      if (c == '"') {
        i = skip_string(text, i);
        if (i == std::string_view::npos) return i;
        --i;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  std::size_t i = pos;
  while (i < text.size() && !is_ws(text[i]) && text[i] != ',' && text[i] != '}' && text[i] != ']') ++i;
  return i;
}

// The exact text of the value of top-level member `key`.
std::optional<std::string_view> member_text(std::string_view text, std::string_view key) {
  std::size_t i = 0;
  auto ws = [&] {
    while (i < text.size() && is_ws(text[i])) ++i;
  };
  ws();
  if (i >= text.size() || text[i] != '{') return std::nullopt;
  ++i;
  while (true) {
    ws();
    if (i >= text.size() || text[i] != '"') return std::nullopt;
    std::size_t kend = skip_string(text, i);
    if (kend == std::string_view::npos) return std::nullopt;
    std::string_view k = text.substr(i + 1, kend - i - 2);
    i = kend;
    ws();
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    ++i;
    ws();
    std::size_t vend = skip_value(text, i);
    if (vend == std::string_view::npos || vend > text.size()) return std::nullopt;
    if (k == key) return text.substr(i, vend - i);
    i = vend;
    ws();
    if (i >= text.size() || text[i] != ',') return std::nullopt;
    ++i;
  }
}

Result<Json> parse(ByteView bytes, const char* what) {
  JsonLimits limits;
  limits.max_bytes = kMaxCollateralJson;
  Result<Json> j = parse_json(as_string_view(bytes), JsonProfile::kGeneral, limits);
  if (!j) return bad(std::string(what) + " is not JSON: " + j.error().message);
  if (!j->is_object()) return bad(std::string(what) + " is not a JSON object");
  return std::move(*j);
}

const Json* member(const Json& o, std::string_view name) {
  auto it = o.find(std::string(name));
  return it == o.end() ? nullptr : &*it;
}

Result<std::string> str(const Json& o, std::string_view name, const std::string& path) {
  const Json* v = member(o, name);
  if (!v || !v->is_string()) return bad(path + "." + std::string(name) + " is missing or not a string");
  return v->get<std::string>();
}

Result<std::int64_t> integer(const Json& o, std::string_view name, const std::string& path, std::int64_t max) {
  const Json* v = member(o, name);
  if (!v || !v->is_number_integer()) return bad(path + "." + std::string(name) + " is missing or not an integer");
  std::int64_t n = v->get<std::int64_t>();
  if (n < 0 || n > max) return bad(path + "." + std::string(name) + " is out of range");
  return n;
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> hex_field(const Json& o, std::string_view name, const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(std::string s, str(o, name, path));
  Result<Bytes> b = hex_decode_any_case(s);
  if (!b || b->size() != N)
    return bad(path + "." + std::string(name) + " is not " + std::to_string(N) + " bytes of hex");
  std::array<std::uint8_t, N> out{};
  std::copy(b->begin(), b->end(), out.begin());
  return out;
}

Result<Timestamp> time_field(const Json& o, std::string_view name, const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(std::string s, str(o, name, path));
  Result<Timestamp> t = parse_rfc3339(s);
  if (!t) return bad(path + "." + std::string(name) + " is not an RFC 3339 time");
  return *t;
}

Result<DcapTcbStatus> status_field(const Json& o, const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(std::string s, str(o, "tcbStatus", path));
  std::optional<DcapTcbStatus> st = parse_dcap_tcb_status(s);
  if (!st || *st == DcapTcbStatus::kTcbNotSupported) return bad(path + ".tcbStatus '" + s + "' is not a TCB status");
  return *st;
}

Result<std::vector<std::string>> advisories(const Json& o, const std::string& path) {
  std::vector<std::string> out;
  const Json* v = member(o, "advisoryIDs");
  if (!v) return out;
  if (!v->is_array()) return bad(path + ".advisoryIDs is not an array");
  for (const Json& a : *v) {
    if (!a.is_string()) return bad(path + ".advisoryIDs has a non-string entry");
    out.push_back(a.get<std::string>());
  }
  return out;
}

const Json* array_member(const Json& o, std::string_view name) {
  const Json* v = member(o, name);
  return v && v->is_array() ? v : nullptr;
}

Result<std::vector<DcapIsvLevel>> isv_levels(const Json& o, const std::string& path) {
  const Json* levels = array_member(o, "tcbLevels");
  if (!levels) return bad(path + ".tcbLevels is missing or not an array");
  std::vector<DcapIsvLevel> out;
  for (std::size_t i = 0; i < levels->size(); ++i) {
    const Json& l = (*levels)[i];
    const std::string p = path + ".tcbLevels[" + std::to_string(i) + "]";
    if (!l.is_object()) return bad(p + " is not an object");
    const Json* tcb = member(l, "tcb");
    if (!tcb || !tcb->is_object()) return bad(p + ".tcb is missing or not an object");
    DcapIsvLevel level;
    VERUN_ASSIGN_OR_RETURN(std::int64_t svn, integer(*tcb, "isvsvn", p + ".tcb", 0xFFFF));
    level.isv_svn = static_cast<std::uint32_t>(svn);
    VERUN_ASSIGN_OR_RETURN(level.status, status_field(l, p));
    VERUN_ASSIGN_OR_RETURN(level.advisory_ids, advisories(l, p));
    out.push_back(std::move(level));
  }
  return out;
}

Result<TdxModuleIdentity> module_identity(const Json& o, const std::string& path, bool with_levels) {
  if (!o.is_object()) return bad(path + " is not an object");
  TdxModuleIdentity m;
  if (with_levels) {
    VERUN_ASSIGN_OR_RETURN(m.id, str(o, "id", path));
  }
  VERUN_ASSIGN_OR_RETURN(m.mr_signer, hex_field<48>(o, "mrsigner", path));
  VERUN_ASSIGN_OR_RETURN(m.attributes, hex_field<8>(o, "attributes", path));
  VERUN_ASSIGN_OR_RETURN(m.attributes_mask, hex_field<8>(o, "attributesMask", path));
  if (with_levels) {
    VERUN_ASSIGN_OR_RETURN(m.levels, isv_levels(o, path));
  }
  return m;
}

Result<std::array<std::uint8_t, 16>> component_list(const Json& tcb, std::string_view name, const std::string& path) {
  const Json* list = array_member(tcb, name);
  if (!list || list->size() != 16) return bad(path + "." + std::string(name) + " is not a list of 16 components");
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < 16; ++i) {
    const Json& c = (*list)[i];
    if (!c.is_object()) return bad(path + "." + std::string(name) + " has a non-object component");
    VERUN_ASSIGN_OR_RETURN(std::int64_t svn, integer(c, "svn", path + "." + std::string(name), 255));
    out[i] = static_cast<std::uint8_t>(svn);
  }
  return out;
}

Result<DcapTcbLevel> tcb_level(const Json& l, const std::string& p, std::int64_t version, bool tdx) {
  if (!l.is_object()) return bad(p + " is not an object");
  const Json* tcb = member(l, "tcb");
  if (!tcb || !tcb->is_object()) return bad(p + ".tcb is missing or not an object");
  DcapTcbLevel level;
  if (version >= 3) {
    VERUN_ASSIGN_OR_RETURN(level.sgx_components, component_list(*tcb, "sgxtcbcomponents", p + ".tcb"));
    if (tdx) {
      VERUN_ASSIGN_OR_RETURN(level.tdx_components, component_list(*tcb, "tdxtcbcomponents", p + ".tcb"));
    }
  } else {
    for (std::size_t i = 0; i < 16; ++i) {
      char name[24];
      std::snprintf(name, sizeof name, "sgxtcbcomp%02zusvn", i + 1);
      VERUN_ASSIGN_OR_RETURN(std::int64_t svn, integer(*tcb, name, p + ".tcb", 255));
      level.sgx_components[i] = static_cast<std::uint8_t>(svn);
    }
  }
  VERUN_ASSIGN_OR_RETURN(std::int64_t pce, integer(*tcb, "pcesvn", p + ".tcb", 0xFFFF));
  level.pce_svn = static_cast<std::uint32_t>(pce);
  VERUN_ASSIGN_OR_RETURN(level.status, status_field(l, p));
  VERUN_ASSIGN_OR_RETURN(level.advisory_ids, advisories(l, p));
  return level;
}

constexpr std::array<std::pair<DcapTcbStatus, std::string_view>, 8> kStatusNames = {{
    {DcapTcbStatus::kUpToDate, "UpToDate"},
    {DcapTcbStatus::kSwHardeningNeeded, "SWHardeningNeeded"},
    {DcapTcbStatus::kConfigurationNeeded, "ConfigurationNeeded"},
    {DcapTcbStatus::kConfigurationAndSwHardeningNeeded, "ConfigurationAndSWHardeningNeeded"},
    {DcapTcbStatus::kOutOfDate, "OutOfDate"},
    {DcapTcbStatus::kOutOfDateConfigurationNeeded, "OutOfDateConfigurationNeeded"},
    {DcapTcbStatus::kRevoked, "Revoked"},
    {DcapTcbStatus::kTcbNotSupported, "TcbNotSupported"},
}};

}  // namespace

std::string_view to_string(DcapTcbStatus status) {
  for (const auto& [s, name] : kStatusNames)
    if (s == status) return name;
  return "unknown";
}

std::optional<DcapTcbStatus> parse_dcap_tcb_status(std::string_view text) {
  for (const auto& [s, name] : kStatusNames)
    if (name == text) return s;
  return std::nullopt;
}

DcapTcbStatus combine_tcb_status(DcapTcbStatus a, DcapTcbStatus b) {
  auto config = [](DcapTcbStatus s) {
    return s == DcapTcbStatus::kConfigurationNeeded || s == DcapTcbStatus::kConfigurationAndSwHardeningNeeded;
  };
  if ((a == DcapTcbStatus::kOutOfDate && config(b)) || (b == DcapTcbStatus::kOutOfDate && config(a)))
    return DcapTcbStatus::kOutOfDateConfigurationNeeded;
  return std::max(a, b);
}

Result<DcapCollateral> dcap_collateral_from_map(const std::map<std::string, Bytes>& by_name) {
  std::string missing;
  for (std::string_view name : kDcapRequiredCollateral)
    if (!by_name.count(std::string(name))) missing += (missing.empty() ? "" : ", ") + std::string(name);
  for (const auto& [name, bytes] : by_name)
    if (std::find(kDcapCollateralNames.begin(), kDcapCollateralNames.end(), name) == kDcapCollateralNames.end())
      return Error(ErrorCode::kEvidenceUnexpectedMaterial, "DCAP evidence takes no collateral named " + name);
  if (!missing.empty()) return Error(ErrorCode::kIntelCollateralMissing, "DCAP collateral lacks " + missing);
  auto get = [&](const char* name) {
    auto it = by_name.find(name);
    return it == by_name.end() ? Bytes{} : it->second;
  };
  DcapCollateral c;
  c.tcb_info = get("tcb_info");
  c.tcb_info_issuer_chain = get("tcb_info_issuer_chain");
  c.qe_identity = get("qe_identity");
  c.qe_identity_issuer_chain = get("qe_identity_issuer_chain");
  c.pck_crl = get("pck_crl");
  c.pck_crl_issuer_chain = get("pck_crl_issuer_chain");
  c.root_ca_crl = get("root_ca_crl");
  return c;
}

Result<SignedBody> split_signed_body(ByteView body, std::string_view key) {
  const std::string what = "PCS body with " + std::string(key);
  VERUN_ASSIGN_OR_RETURN(Json j, parse(body, what.c_str()));
  const Json* value = member(j, key);
  if (!value || !value->is_object()) return bad(what + ": member " + std::string(key) + " is missing or not an object");
  VERUN_ASSIGN_OR_RETURN(std::string sig_hex, str(j, "signature", what));
  Result<Bytes> sig = hex_decode_any_case(sig_hex);
  if (!sig || sig->size() != 64) return bad(what + ": signature is not 64 bytes of hex");
  std::optional<std::string_view> text = member_text(as_string_view(body), key);
  if (!text) return bad(what + ": the signed value cannot be located in the text");
  SignedBody out;
  out.signed_bytes = to_bytes(*text);
  std::copy(sig->begin(), sig->end(), out.signature.begin());
  return out;
}

Result<TcbInfo> parse_tcb_info(ByteView tcb_info_json) {
  const std::string p = "tcbInfo";
  VERUN_ASSIGN_OR_RETURN(Json j, parse(tcb_info_json, "TCB info"));
  TcbInfo t;
  VERUN_ASSIGN_OR_RETURN(t.version, integer(j, "version", p, 1000));
  if (t.version != 2 && t.version != 3)
    return bad("TCB info version " + std::to_string(t.version) + " is not 2 or 3");
  if (t.version >= 3) {
    VERUN_ASSIGN_OR_RETURN(t.id, str(j, "id", p));
    if (t.id != "SGX" && t.id != "TDX") return bad("TCB info id '" + t.id + "' is not SGX or TDX");
  } else {
    t.id = "SGX";
  }
  VERUN_ASSIGN_OR_RETURN(t.issue_date, time_field(j, "issueDate", p));
  VERUN_ASSIGN_OR_RETURN(t.next_update, time_field(j, "nextUpdate", p));
  VERUN_ASSIGN_OR_RETURN(t.fmspc, hex_field<6>(j, "fmspc", p));
  VERUN_ASSIGN_OR_RETURN(t.pce_id, hex_field<2>(j, "pceId", p));
  const bool tdx = t.id == "TDX";
  if (tdx) {
    const Json* m = member(j, "tdxModule");
    if (!m) return bad("TDX TCB info lacks tdxModule");
    VERUN_ASSIGN_OR_RETURN(t.tdx_module, module_identity(*m, p + ".tdxModule", false));
    if (const Json* ids = member(j, "tdxModuleIdentities")) {
      if (!ids->is_array()) return bad("tcbInfo.tdxModuleIdentities is not an array");
      for (std::size_t i = 0; i < ids->size(); ++i) {
        VERUN_ASSIGN_OR_RETURN(TdxModuleIdentity id, module_identity((*ids)[i], p + ".tdxModuleIdentities[" +
                                                                                    std::to_string(i) + "]",
                                                                     true));
        t.tdx_module_identities.push_back(std::move(id));
      }
    }
  }
  const Json* levels = array_member(j, "tcbLevels");
  if (!levels || levels->empty()) return bad("tcbInfo.tcbLevels is missing, empty or not an array");
  for (std::size_t i = 0; i < levels->size(); ++i) {
    VERUN_ASSIGN_OR_RETURN(DcapTcbLevel level,
                           tcb_level((*levels)[i], p + ".tcbLevels[" + std::to_string(i) + "]", t.version, tdx));
    t.levels.push_back(std::move(level));
  }
  return t;
}

Result<QeIdentity> parse_qe_identity(ByteView json) {
  const std::string p = "enclaveIdentity";
  VERUN_ASSIGN_OR_RETURN(Json j, parse(json, "QE identity"));
  QeIdentity q;
  VERUN_ASSIGN_OR_RETURN(std::int64_t version, integer(j, "version", p, 1000));
  if (version != 2) return bad("QE identity version " + std::to_string(version) + " is not 2");
  VERUN_ASSIGN_OR_RETURN(q.id, str(j, "id", p));
  if (q.id != "QE" && q.id != "TD_QE") return bad("QE identity id '" + q.id + "' is not QE or TD_QE");
  VERUN_ASSIGN_OR_RETURN(q.issue_date, time_field(j, "issueDate", p));
  VERUN_ASSIGN_OR_RETURN(q.next_update, time_field(j, "nextUpdate", p));
  // MISCSELECT is a little-endian u32 in the report; Intel writes its 4
  // bytes in report order.
  VERUN_ASSIGN_OR_RETURN(auto misc, hex_field<4>(j, "miscselect", p));
  VERUN_ASSIGN_OR_RETURN(auto misc_mask, hex_field<4>(j, "miscselectMask", p));
  auto le32 = [](const std::array<std::uint8_t, 4>& b) {
    return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
           static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
  };
  q.misc_select = le32(misc);
  q.misc_select_mask = le32(misc_mask);
  VERUN_ASSIGN_OR_RETURN(q.attributes, hex_field<16>(j, "attributes", p));
  VERUN_ASSIGN_OR_RETURN(q.attributes_mask, hex_field<16>(j, "attributesMask", p));
  VERUN_ASSIGN_OR_RETURN(q.mr_signer, hex_field<32>(j, "mrsigner", p));
  VERUN_ASSIGN_OR_RETURN(std::int64_t prod, integer(j, "isvprodid", p, 0xFFFF));
  q.isv_prod_id = static_cast<std::uint16_t>(prod);
  VERUN_ASSIGN_OR_RETURN(q.levels, isv_levels(j, p));
  if (q.levels.empty()) return bad("enclaveIdentity.tcbLevels is empty");
  return q;
}

Result<Bytes> dcap_crl_der(ByteView crl) {
  if (crl.empty()) return bad("CRL is empty");
  if (crl[0] == 0x30) return Bytes(crl.begin(), crl.end());
  std::string_view text = as_string_view(crl);
  constexpr std::string_view kBegin = "-----BEGIN X509 CRL-----";
  constexpr std::string_view kEnd = "-----END X509 CRL-----";
  std::size_t b = text.find(kBegin);
  if (b != std::string_view::npos) {
    std::size_t e = text.find(kEnd, b);
    if (e == std::string_view::npos) return bad("PEM CRL is not terminated");
    std::string b64;
    for (char c : text.substr(b + kBegin.size(), e - b - kBegin.size()))
      if (!is_ws(c)) b64.push_back(c);
    Result<Bytes> der = base64_decode(b64);
    if (!der || der->empty()) return bad("PEM CRL is not base64");
    return std::move(*der);
  }
  while (!text.empty() && is_ws(text.back())) text.remove_suffix(1);
  Result<Bytes> der = hex_decode_any_case(text);
  if (!der || der->empty() || (*der)[0] != 0x30) return bad("CRL is neither DER, PEM nor hex of DER");
  return std::move(*der);
}

}  // namespace verun::proofs
