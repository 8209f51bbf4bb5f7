// The one place that maps error codes to HTTP statuses (DESIGN.md §6).
#include "http/error_mapping.h"

#include <string_view>

#include "verun/proofs/json/strict_json.h"

namespace verun::log::http {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
    case ErrorCode::kHttpNotFound:
      return 404;
    case ErrorCode::kHttpMethodNotAllowed:
      return 405;
    case ErrorCode::kAdmissionKeyAlreadyRegistered:
    case ErrorCode::kLogKeyAlreadyRegistered:
      return 409;
    case ErrorCode::kAdmissionEntryTooLarge:
    case ErrorCode::kLogEntryTooLarge:
    case ErrorCode::kHttpBodyTooLarge:
      return 413;
    case ErrorCode::kAdmissionBadSignature:
    case ErrorCode::kAdmissionEvidenceRejected:
    case ErrorCode::kAdmissionKeyRevoked:
    case ErrorCode::kAdmissionUnregisteredSigner:
    case ErrorCode::kAdmissionRegistrationMismatch:
      return 403;
    case ErrorCode::kAdmissionMalformedEnvelope:
    case ErrorCode::kAdmissionMalformedStatement:
    case ErrorCode::kAdmissionUnknownPredicate:
    case ErrorCode::kAdmissionMissingBlob:
    case ErrorCode::kHttpBadRequest:
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kLogQueueFull:
    case ErrorCode::kLogShuttingDown:
      return 503;
    default:
      break;
  }
  // Request-shape errors from the parsers the handlers call on client input.
  const std::string_view name = to_string(code);
  for (std::string_view area : {"json.", "tile.", "dsse.", "hex.", "base64."}) {
    if (name.starts_with(area)) return 400;
  }
  return 500;
}

std::string error_body(const Error& error) {
  proofs::Json body = {{"error", {{"code", std::string(to_string(error.code))}, {"message", error.message}}}};
  return body.dump(-1, ' ', false, proofs::Json::error_handler_t::replace);
}

}  // namespace verun::log::http
