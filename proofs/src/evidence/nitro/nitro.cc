// nitro-cose verification: payload fields, chain to the pinned AWS root,
// validity, ES384 signature, claims (DESIGN.md §5; AWS "Verifying the root
// of trust"); see nitro.h.
#include "verun/proofs/evidence/nitro.h"

#include <algorithm>
#include <string>

#include "verun/proofs/crypto/ecdsa.h"
#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

// SHA-256 of the DER of AWS Nitro Enclaves Root-G1 (CN=aws.nitro-enclaves,
// valid 2019-10-28 .. 2049-10-28), as published with AWS's root archive.
constexpr std::string_view kAwsNitroRootHex = "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";

// 9999-12-31T23:59:59.999Z in milliseconds: the last time RFC 3339 can write.
constexpr std::uint64_t kMaxTimestampMs = 253'402'300'799'999ULL;

Error payload_malformed(const std::string& why) {
  return Error(ErrorCode::kNitroPayloadMalformed, "attestation document " + why);
}

Result<Bytes> bytes_field(const CborValue& v, const char* name, std::size_t min, std::size_t max) {
  if (v.type != CborType::kBytes) return payload_malformed(std::string(name) + " is not a byte string");
  if (v.bytes.size() < min || v.bytes.size() > max)
    return payload_malformed(std::string(name) + " is " + std::to_string(v.bytes.size()) + " bytes, not " +
                             std::to_string(min) + ".." + std::to_string(max));
  return v.bytes;
}

// A byte string, or null (nullopt).
Result<std::optional<Bytes>> optional_bytes_field(const CborValue& v, const char* name, std::size_t min,
                                                  std::size_t max) {
  if (v.type == CborType::kNull) return std::optional<Bytes>{};
  VERUN_ASSIGN_OR_RETURN(Bytes b, bytes_field(v, name, min, max));
  return std::optional<Bytes>(std::move(b));
}

Result<std::map<std::uint32_t, Bytes>> parse_pcrs(const CborValue& v) {
  if (v.type != CborType::kMap) return payload_malformed("pcrs is not a map");
  if (v.entries.empty() || v.entries.size() > kNitroMaxPcrs)
    return payload_malformed("pcrs has " + std::to_string(v.entries.size()) + " entries, not 1..32");
  std::map<std::uint32_t, Bytes> out;
  for (const auto& [key, value] : v.entries) {
    if (key.type != CborType::kUnsigned || key.number >= kNitroMaxPcrs)
      return payload_malformed("pcrs has an index that is not an integer in 0..31");
    const auto index = static_cast<std::uint32_t>(key.number);
    if (value.type != CborType::kBytes) return payload_malformed("PCR" + std::to_string(index) + " is not a byte string");
    const std::size_t n = value.bytes.size();
    if (n != 32 && n != 48 && n != 64)
      return payload_malformed("PCR" + std::to_string(index) + " is " + std::to_string(n) + " bytes, not 32, 48 or 64");
    if (!out.emplace(index, value.bytes).second)
      return payload_malformed("pcrs repeats index " + std::to_string(index));
  }
  return out;
}

Result<NitroDocument> parse_payload(ByteView payload) {
  CborLimits limits;
  limits.max_input = kNitroMaxDocumentSize;
  limits.max_depth = 2;  // the payload map, then pcrs / cabundle
  limits.max_collection = kNitroMaxPcrs;
  VERUN_ASSIGN_OR_RETURN(CborValue top, parse_cbor(payload, limits));
  if (top.type != CborType::kMap) return payload_malformed("payload is not a map");
  NitroDocument d;
  bool has_module_id = false, has_digest = false, has_timestamp = false, has_pcrs = false, has_certificate = false,
       has_cabundle = false, has_public_key = false, has_user_data = false, has_nonce = false;
  auto once = [](bool& seen, const std::string& name) -> Result<void> {
    if (seen) return payload_malformed("repeats the key " + name);
    seen = true;
    return {};
  };
  for (const auto& [key, value] : top.entries) {
    if (key.type != CborType::kText) return payload_malformed("payload has a key that is not text");
    const std::string name = to_string(key.bytes);
    if (name == "module_id") {
      VERUN_TRY(once(has_module_id, name));
      if (value.type != CborType::kText || value.bytes.empty() || value.bytes.size() > kNitroMaxModuleIdSize)
        return payload_malformed("module_id is not a text of 1..256 bytes");
      d.module_id = to_string(value.bytes);
    } else if (name == "digest") {
      VERUN_TRY(once(has_digest, name));
      if (!value.is_text("SHA384")) return payload_malformed("digest is not \"SHA384\"");
      d.digest = "SHA384";
    } else if (name == "timestamp") {
      VERUN_TRY(once(has_timestamp, name));
      if (value.type != CborType::kUnsigned || value.number == 0 || value.number > kMaxTimestampMs)
        return payload_malformed("timestamp is not an unsigned integer of milliseconds in 1..9999-12-31");
      d.timestamp_ms = value.number;
    } else if (name == "pcrs") {
      VERUN_TRY(once(has_pcrs, name));
      VERUN_ASSIGN_OR_RETURN(d.pcrs, parse_pcrs(value));
    } else if (name == "certificate") {
      VERUN_TRY(once(has_certificate, name));
      VERUN_ASSIGN_OR_RETURN(d.certificate, bytes_field(value, "certificate", 1, kNitroMaxCertSize));
    } else if (name == "cabundle") {
      VERUN_TRY(once(has_cabundle, name));
      if (value.type != CborType::kArray) return payload_malformed("cabundle is not an array");
      if (value.items.empty() || value.items.size() > kNitroMaxCabundle)
        return payload_malformed("cabundle has " + std::to_string(value.items.size()) + " entries, not 1..16");
      for (const CborValue& c : value.items) {
        VERUN_ASSIGN_OR_RETURN(Bytes der, bytes_field(c, "cabundle entry", 1, kNitroMaxCertSize));
        d.cabundle.push_back(std::move(der));
      }
    } else if (name == "public_key") {
      VERUN_TRY(once(has_public_key, name));
      VERUN_ASSIGN_OR_RETURN(d.public_key, optional_bytes_field(value, "public_key", 1, kNitroMaxFieldSize));
    } else if (name == "user_data") {
      VERUN_TRY(once(has_user_data, name));
      VERUN_ASSIGN_OR_RETURN(d.user_data, optional_bytes_field(value, "user_data", 0, kNitroMaxFieldSize));
    } else if (name == "nonce") {
      VERUN_TRY(once(has_nonce, name));
      VERUN_ASSIGN_OR_RETURN(d.nonce, optional_bytes_field(value, "nonce", 0, kNitroMaxFieldSize));
    } else {
      return payload_malformed("payload has the unknown key '" + hex_encode(key.bytes) + "' (hex)");
    }
  }
  const std::pair<bool, const char*> required[] = {{has_module_id, "module_id"}, {has_digest, "digest"},
                                                   {has_timestamp, "timestamp"}, {has_pcrs, "pcrs"},
                                                   {has_certificate, "certificate"}, {has_cabundle, "cabundle"}};
  for (const auto& [present, name] : required)
    if (!present) return Error(ErrorCode::kNitroMissingField, std::string("attestation document lacks ") + name);
  if (!d.pcrs.contains(0)) return Error(ErrorCode::kNitroMissingField, "attestation document lacks PCR0");
  return d;
}

std::string cert_name(const X509Cert& c) {
  return "'" + c.subject_common_name() + "' (SHA-256 " + hex_encode(c.fingerprint()) + ")";
}

}  // namespace

Timestamp NitroDocument::timestamp() const {
  Timestamp t;
  t.seconds = static_cast<std::int64_t>(timestamp_ms / 1000);
  t.nanos = static_cast<std::uint32_t>(timestamp_ms % 1000) * 1'000'000u;
  return t;
}

Result<ParsedNitro> parse_nitro_document(ByteView data) {
  CborLimits limits;
  limits.max_input = kNitroMaxDocumentSize;
  // Tag 18, the array, the unprotected map: depth 3. One more level and a
  // wider collection limit let a payload wrongly written inline (not as a
  // byte string) reach the COSE check and be named for what it is.
  limits.max_depth = 4;
  limits.max_collection = 16;
  ParsedNitro out;
  VERUN_ASSIGN_OR_RETURN(out.cose, parse_cose_sign1(data, limits));
  VERUN_ASSIGN_OR_RETURN(out.document, parse_payload(out.cose.payload));
  return out;
}

const Hash32& aws_nitro_root_fingerprint() {
  static const Hash32 fp = hex_decode32(kAwsNitroRootHex).value();
  return fp;
}

Result<NitroChain> verify_nitro_chain(const NitroDocument& document, std::span<const Hash32> roots,
                                      std::span<const Bytes> trusted_certs) {
  if (roots.empty()) roots = std::span<const Hash32>(&aws_nitro_root_fingerprint(), 1);
  auto pinned = [&](const X509Cert& c) { return std::find(roots.begin(), roots.end(), c.fingerprint()) != roots.end(); };
  if (document.cabundle.empty()) return Error(ErrorCode::kEvidenceChainInvalid, "cabundle is empty");
  VERUN_ASSIGN_OR_RETURN(X509Cert leaf, X509Cert::parse_der(document.certificate));
  std::vector<X509Cert> cas;
  cas.reserve(document.cabundle.size() + 1);
  for (const Bytes& der : document.cabundle) {
    VERUN_ASSIGN_OR_RETURN(X509Cert c, X509Cert::parse_der(der));
    cas.push_back(std::move(c));
  }
  if (!pinned(cas.front())) {
    // A trust directory may supply the root that issued cabundle[0], never a new one.
    bool completed = false;
    for (const Bytes& der : trusted_certs) {
      Result<X509Cert> t = X509Cert::parse_der(der);
      if (!t || !pinned(*t)) continue;
      if (!cas.front().verify_issued_by(*t, CertSignatureAlgorithm::kEcdsaSha384)) continue;
      cas.insert(cas.begin(), std::move(*t));
      completed = true;
      break;
    }
    if (!completed)
      return Error(ErrorCode::kEvidenceRootNotPinned,
                   "cabundle[0] " + cert_name(cas.front()) + " is not the pinned AWS Nitro Enclaves root");
  }
  VERUN_TRY(cas.front().verify_issued_by(cas.front(), CertSignatureAlgorithm::kEcdsaSha384));
  for (std::size_t i = 1; i < cas.size(); ++i)
    VERUN_TRY(cas[i].verify_issued_by(cas[i - 1], CertSignatureAlgorithm::kEcdsaSha384));
  VERUN_TRY(leaf.verify_issued_by(cas.back(), CertSignatureAlgorithm::kEcdsaSha384));
  Result<EcdsaVerifier> key = EcdsaVerifier::from_spki_der(leaf.spki_der());
  if (!key || key->curve() != EcdsaCurve::kP384)
    return Error(ErrorCode::kEvidenceChainInvalid, "enclave certificate key is not an ECDSA P-384 key");
  return NitroChain{std::move(leaf), std::move(cas)};
}

Result<void> verify_nitro_chain_validity(const NitroChain& chain, const Timestamp& at) {
  VERUN_TRY(chain.leaf.verify_valid_at(at));
  for (auto it = chain.cas.rbegin(); it != chain.cas.rend(); ++it) VERUN_TRY(it->verify_valid_at(at));
  return {};
}

Result<void> verify_nitro_signature(const CoseSign1& cose, const X509Cert& leaf) {
  Result<EcdsaVerifier> key = EcdsaVerifier::from_spki_der(leaf.spki_der());
  if (!key || key->curve() != EcdsaCurve::kP384)
    return Error(ErrorCode::kEvidenceChainInvalid, "enclave certificate key is not an ECDSA P-384 key");
  const Bytes to_be_signed = cose_sign1_to_be_signed(cose.protected_header, cose.payload);
  if (!key->verify(to_be_signed, cose.signature, EcdsaSignatureFormat::kP1363))
    return Error(ErrorCode::kEvidenceBadSignature,
                 "attestation document signature does not verify under " + cert_name(leaf));
  return {};
}

Claims nitro_claims(const NitroDocument& document, const NitroChain& chain) {
  Claims c;
  c.format = std::string(kNitroFormatName);
  c.platform = Platform::kNitro;
  for (const auto& [index, value] : document.pcrs) c.measurements["pcr" + std::to_string(index)] = value;
  c.measurement = document.pcrs.at(0);
  c.debug = std::all_of(c.measurement.begin(), c.measurement.end(), [](std::uint8_t b) { return b == 0; });
  if (document.user_data && document.user_data->size() == c.report_data.size())
    std::copy(document.user_data->begin(), document.user_data->end(), c.report_data.begin());
  c.instance_id = to_bytes(document.module_id);
  c.chain_fingerprints.push_back(chain.leaf.fingerprint());
  for (auto it = chain.cas.rbegin(); it != chain.cas.rend(); ++it) c.chain_fingerprints.push_back(it->fingerprint());
  c.timestamp = document.timestamp();
  c.public_key = document.public_key;
  c.user_data = document.user_data;
  c.nonce = document.nonce;
  return c;
}

Result<VerifiedNitro> verify_nitro_evidence_detailed(ByteView data, const NitroOptions& options) {
  VERUN_ASSIGN_OR_RETURN(ParsedNitro parsed, parse_nitro_document(data));
  VERUN_ASSIGN_OR_RETURN(NitroChain chain, verify_nitro_chain(parsed.document, options.roots, options.trusted_certs));
  VerifiedNitro out;
  out.as_of = options.at ? *options.at : parsed.document.timestamp();
  VERUN_TRY(verify_nitro_chain_validity(chain, out.as_of));
  VERUN_TRY(verify_nitro_signature(parsed.cose, chain.leaf));
  out.claims = nitro_claims(parsed.document, chain);
  out.document = std::move(parsed.document);
  return out;
}

Result<Claims> verify_nitro_evidence(ByteView data, const NitroOptions& options) {
  VERUN_ASSIGN_OR_RETURN(VerifiedNitro v, verify_nitro_evidence_detailed(data, options));
  return std::move(v.claims);
}

}  // namespace verun::proofs
