// The AWS JSON 1.0 and 1.1 protocols (Organizations, Glue, Athena, Step Functions, DynamoDB) as
// Smithy's "AWS JSON 1.0 protocol" / "AWS JSON 1.1 protocol" document them: POST / with
// X-Amz-Target "Prefix.Operation", a JSON body shaped like the input, a JSON body shaped like the
// output (timestamps as epoch seconds, blobs base64), and errors as {"__type": ..., "message": ...}
// with the x-amzn-ErrorType header. Bodies are read as botocore's JSONSerializer writes them and
// written so that botocore's JSONParser reads them back.
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"
#include "model/service_model.h"

namespace xacct::protocol {

//! The error code JSON services use for a request that breaks the input's constraints.
inline constexpr std::string_view kJsonValidationError = "ValidationException";
//! The error code for a body that is not JSON or holds a value of the wrong type.
inline constexpr std::string_view kJsonSerializationError = "SerializationException";

//! The body (empty is {}) as a JSON object holding the input's members by model name, validated
//! against the input shape: a body that is not JSON, or a member of the wrong JSON type, is a 400
//! "SerializationException" ("NUMBER_VALUE cannot be converted to String"); broken constraints
//! (required, enum, pattern, length, range) are a 400 "ValidationException" listing every one.
//! Blobs come back as their bytes; timestamps as sent (epoch seconds). Unknown members and nulls
//! are dropped.
Result<json::value> DecodeJsonInput(const model::ServiceModel& service, const model::Operation& op,
                                    std::string_view body);

//! DecodeJsonInput without the constraint checks: only a body that is not JSON or a value of the
//! wrong type fails.
Result<json::value> ParseJsonInput(const model::Operation& op, std::string_view body);

//! The response body per the output shape ({} when there is none): members by serialized name,
//! timestamps as epoch seconds numbers (from ISO 8601 strings or numbers), blobs base64.
std::string EncodeJsonResponse(const model::ServiceModel& service, const model::Operation& op,
                               const json::value& output);

//! {"__type":"Code","message":"..."}; the message key is the one the model's exception shape
//! declares ("Message" for Organizations), else "message".
std::string EncodeJsonError(const model::ServiceModel& service, const AwsError& error);

//! What goes with a JSON protocol error: the body, its Content-Type and the x-amzn-ErrorType header.
struct JsonErrorResponse {
  int http_status = 400;
  std::string content_type;  //!< "application/x-amz-json-1.1" or "-1.0"
  std::string error_type;    //!< x-amzn-ErrorType: the code
  std::string body;
};
JsonErrorResponse MakeJsonErrorResponse(const model::ServiceModel& service, const AwsError& error);

//! "application/x-amz-json-1.0" or "application/x-amz-json-1.1", per the model's jsonVersion.
std::string JsonContentType(const model::ServiceModel& service);

}  // namespace xacct::protocol
