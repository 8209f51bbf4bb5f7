// The configfs-tsm platform; see tsm.h.
#include "platform/tsm.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include "platform/snp_cert_table.h"
#include "verun/proofs/crypto/random.h"
#include "verun/proofs/evidence/dcap_quote.h"
#include "verun/proofs/evidence/sev_snp_report.h"
#include "verun/proofs/hex.h"

namespace verun::runner {
namespace {

// outblob: an SNP report is 1184 bytes, a TDX quote a few KB; auxblob: the
// SNP certificate table (the kernel may hand over its whole, zero-padded
// certificate buffer).
constexpr std::size_t kMaxOutblob = proofs::kDcapMaxQuoteSize;
constexpr std::size_t kMaxAuxblob = 1024 * 1024;
constexpr std::size_t kMaxSmallAttr = 256;

std::string errno_text() { return std::strerror(errno); }

class PosixTsmFs final : public TsmFs {
 public:
  Result<void> make_dir(const std::string& path) override {
    if (::mkdir(path.c_str(), 0700) != 0) {
      return Error(ErrorCode::kRunnerTsmUnavailable, "cannot create the report entry " + path + ": " + errno_text());
    }
    return {};
  }
  Result<void> remove_dir(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) {
      return Error(ErrorCode::kRunnerTsmIo, "cannot remove the report entry " + path + ": " + errno_text());
    }
    return {};
  }
  Result<proofs::Bytes> read_file(const std::string& path, std::size_t max_bytes) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error(ErrorCode::kRunnerTsmIo, "cannot open " + path + ": " + errno_text());
    proofs::Bytes data;
    std::array<std::uint8_t, 8192> buf{};
    for (;;) {
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const std::string why = errno_text();
        ::close(fd);
        return Error(ErrorCode::kRunnerTsmIo, "cannot read " + path + ": " + why);
      }
      if (n == 0) break;
      if (data.size() + static_cast<std::size_t>(n) > max_bytes) {
        ::close(fd);
        return Error(ErrorCode::kRunnerTsmIo, path + " is larger than " + std::to_string(max_bytes) + " bytes");
      }
      data.insert(data.end(), buf.begin(), buf.begin() + n);
    }
    ::close(fd);
    return data;
  }
  Result<void> write_file(const std::string& path, proofs::ByteView data) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Error(ErrorCode::kRunnerTsmIo, "cannot open " + path + " for writing: " + errno_text());
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const std::string why = n < 0 ? errno_text() : "short write";
        ::close(fd);
        return Error(ErrorCode::kRunnerTsmIo, "cannot write " + path + ": " + why);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) return Error(ErrorCode::kRunnerTsmIo, "cannot write " + path + ": " + errno_text());
    return {};
  }
};

std::string trimmed(const proofs::Bytes& b) {
  std::string s(b.begin(), b.end());
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// What one report entry gave back.
struct RawReport {
  std::string provider;
  proofs::Bytes outblob;
  proofs::Bytes auxblob;
};

// Removes the entry when the attempt ends, whatever the outcome.
class EntryGuard {
 public:
  EntryGuard(TsmFs& fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  ~EntryGuard() { (void)fs_.remove_dir(path_); }
  EntryGuard(const EntryGuard&) = delete;
  EntryGuard& operator=(const EntryGuard&) = delete;

 private:
  TsmFs& fs_;
  std::string path_;
};

class TsmPlatform final : public Platform {
 public:
  explicit TsmPlatform(TsmOptions options) : options_(std::move(options)) {}

  // Learns the kind and the measurement from a first report.
  Result<void> init() {
    VERUN_ASSIGN_OR_RETURN(RawReport raw, take_report(proofs::Hash64{}));
    if (raw.provider == "sev_guest") {
      kind_ = proofs::Platform::kSevSnp;
    } else if (raw.provider == "tdx_guest") {
      kind_ = proofs::Platform::kTdx;
    } else {
      return unknown_provider(raw.provider);
    }
    VERUN_ASSIGN_OR_RETURN(proofs::Evidence evidence, to_evidence(raw, proofs::Hash64{}, &measurement_hex_));
    (void)evidence;
    return {};
  }

  proofs::Platform kind() const override { return kind_; }
  bool simulated() const override { return false; }
  std::string measurement_hex() const override { return measurement_hex_; }

  Result<proofs::Evidence> attest(const proofs::Hash64& report_data) const override {
    VERUN_ASSIGN_OR_RETURN(RawReport raw, take_report(report_data));
    const std::string expected = kind_ == proofs::Platform::kSevSnp ? "sev_guest" : "tdx_guest";
    if (raw.provider != expected) {
      return Error(ErrorCode::kRunnerTsmUnknownProvider,
                   "the configfs-tsm provider changed from " + expected + " to " + raw.provider);
    }
    return to_evidence(raw, report_data, nullptr);
  }

 private:
  static Error unknown_provider(const std::string& provider) {
    return Error(ErrorCode::kRunnerTsmUnknownProvider,
                 "the configfs-tsm provider is \"" + provider + "\", not sev_guest or tdx_guest");
  }

  TsmFs& fs() const { return *options_.fs; }

  Result<std::uint64_t> read_generation(const std::string& entry) const {
    VERUN_ASSIGN_OR_RETURN(proofs::Bytes b, fs().read_file(entry + "/generation", kMaxSmallAttr));
    const std::string s = trimmed(b);
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
      return Error(ErrorCode::kRunnerTsmIo, entry + "/generation holds \"" + s + "\", not a number");
    }
    return value;
  }

  // One attempt: Ok(nullopt) when the generation shows a racing writer.
  Result<std::optional<RawReport>> attempt(const proofs::Hash64& report_data) const {
    std::array<std::uint8_t, 8> id{};
    VERUN_TRY(proofs::random_fill(id));
    const std::string entry = options_.root + "/verun-" + proofs::hex_encode(id);
    VERUN_TRY(fs().make_dir(entry));
    EntryGuard guard(fs(), entry);
    RawReport raw;
    Result<proofs::Bytes> provider = fs().read_file(entry + "/provider", kMaxSmallAttr);
    if (!provider) {
      return Error(ErrorCode::kRunnerTsmUnknownProvider,
                   "the report entry has no readable provider: " + provider.error().message);
    }
    raw.provider = trimmed(*provider);
    if (raw.provider != "sev_guest" && raw.provider != "tdx_guest") return unknown_provider(raw.provider);
    VERUN_ASSIGN_OR_RETURN(const std::uint64_t before, read_generation(entry));
    VERUN_TRY(fs().write_file(entry + "/inblob", proofs::ByteView(report_data.data(), report_data.size())));
    VERUN_ASSIGN_OR_RETURN(raw.outblob, fs().read_file(entry + "/outblob", kMaxOutblob));
    // auxblob: absent on kernels and providers without one, empty without a table.
    Result<proofs::Bytes> aux = fs().read_file(entry + "/auxblob", kMaxAuxblob);
    if (aux) raw.auxblob = std::move(*aux);
    VERUN_ASSIGN_OR_RETURN(const std::uint64_t after, read_generation(entry));
    if (after != before + 1) return std::optional<RawReport>();
    return std::optional<RawReport>(std::move(raw));
  }

  Result<RawReport> take_report(const proofs::Hash64& report_data) const {
    const int attempts = options_.max_attempts < 1 ? 1 : options_.max_attempts;
    for (int i = 0; i < attempts; ++i) {
      VERUN_ASSIGN_OR_RETURN(std::optional<RawReport> raw, attempt(report_data));
      if (raw) return std::move(*raw);
    }
    return Error(ErrorCode::kRunnerTsmGenerationRace,
                 "the configfs-tsm generation moved under another writer on all " + std::to_string(attempts) +
                     " attempts");
  }

  // Checks the report and makes the evidence; `measurement` (when given)
  // receives the SNP MEASUREMENT or the TDX MRTD as hex.
  static Result<proofs::Evidence> to_evidence(const RawReport& raw, const proofs::Hash64& report_data,
                                              std::string* measurement) {
    proofs::Evidence evidence;
    evidence.data = raw.outblob;
    if (raw.provider == "sev_guest") {
      Result<proofs::SnpReport> report = proofs::parse_sev_snp_report(raw.outblob);
      if (!report) {
        return Error(ErrorCode::kRunnerTsmBadReport,
                     "the SEV-SNP report from outblob does not parse: " + report.error().message);
      }
      if (report->report_data != report_data) {
        return Error(ErrorCode::kRunnerTsmBadReport, "the SEV-SNP report does not carry the report_data written");
      }
      VERUN_ASSIGN_OR_RETURN(SnpCertTable table, parse_snp_cert_table(raw.auxblob));
      evidence.format = proofs::EvidenceFormat::kSevSnpReport;
      evidence.certs = snp_chain_from_cert_table(table, report->signing_key == proofs::SnpSigningKey::kVlek);
      if (measurement) *measurement = proofs::hex_encode(report->measurement);
      return evidence;
    }
    Result<proofs::DcapQuote> quote = proofs::parse_dcap_quote(raw.outblob);
    if (!quote) {
      return Error(ErrorCode::kRunnerTsmBadReport, "the TDX quote from outblob does not parse: " + quote.error().message);
    }
    if (!quote->td_body) return Error(ErrorCode::kRunnerTsmBadReport, "the quote from outblob is not a TDX quote");
    if (quote->td_body->report_data != report_data) {
      return Error(ErrorCode::kRunnerTsmBadReport, "the TDX quote does not carry the report_data written");
    }
    evidence.format = proofs::EvidenceFormat::kTdxQuote;
    if (measurement) *measurement = proofs::hex_encode(quote->td_body->mr_td);
    return evidence;
  }

  TsmOptions options_;
  proofs::Platform kind_ = proofs::Platform::kSevSnp;
  std::string measurement_hex_;  // set by init(), before the platform is shared
};

}  // namespace

std::shared_ptr<TsmFs> make_posix_tsm_fs() { return std::make_shared<PosixTsmFs>(); }

Result<std::unique_ptr<Platform>> make_tsm_platform(const TsmOptions& options) {
  TsmOptions o = options;
  if (!o.fs) o.fs = make_posix_tsm_fs();
  struct stat st {};
  if (::stat(o.root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kRunnerTsmUnavailable,
                 "no configfs-tsm report directory at " + o.root +
                     " (needs Linux >= 6.7 with CONFIG_TSM_REPORTS in an SEV-SNP or TDX guest, and configfs "
                     "mounted at /sys/kernel/config)");
  }
  auto platform = std::make_unique<TsmPlatform>(std::move(o));
  VERUN_TRY(platform->init());
  return std::unique_ptr<Platform>(std::move(platform));
}

}  // namespace verun::runner
