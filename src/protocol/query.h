// The AWS query protocol (IAM, STS, CloudFormation) as AWS documents it in Smithy's "AWS query
// protocol" (aws.protocols#awsQuery): form-encoded requests whose keys follow the input shape
// ("Tags.member.1.Key", "Attributes.entry.1.key", "A.B.C"), XML responses wrapped in
// <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>, and
// <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse> errors.
// Request keys are read the way botocore's QuerySerializer writes them (botocore/serialize.py), and
// responses are written so that botocore's QueryParser (botocore/parsers.py) reads them back.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/result.h"
#include "model/service_model.h"

namespace xacct::protocol {

//! The error code query services use for a request that breaks the input's constraints.
inline constexpr std::string_view kQueryValidationError = "ValidationError";

//! The form's parameters into a JSON object shaped like the operation's input: structures by member
//! name, lists from "Name.member.N" (or flattened "Name.N"), maps from "Name.entry.N.key/value",
//! nested members "A.B.C", scalars converted by shape type (integers and doubles as numbers,
//! booleans from "true"/"false", timestamps kept as strings, blobs base64-decoded to their bytes).
//! "Action" and "Version" and keys the input does not name are ignored. Validates required members,
//! types, enum values, patterns and length/value bounds and returns AWS's 400 "ValidationError"
//! ("N validation error(s) detected: ...") listing every violation.
Result<json::value> DecodeQueryInput(const model::ServiceModel& service, const model::Operation& op,
                                     const std::vector<std::pair<std::string, std::string>>& params);

//! DecodeQueryInput without the constraint checks: only what cannot be read as its type fails.
Result<json::value> DecodeQueryParams(const model::Operation& op,
                                      const std::vector<std::pair<std::string, std::string>>& params);

//! The XML body: <OpResponse xmlns="NS"><OpResult>...</OpResult><ResponseMetadata><RequestId>ID
//! </RequestId></ResponseMetadata></OpResponse>, members serialized per the output shape (lists as
//! <member>, maps as <entry><key/><value/></entry>, flattened ones repeated, timestamps ISO 8601
//! "2024-05-01T12:00:00Z", booleans "true"/"false", blobs base64, text XML-escaped). `output` is a
//! JSON object keyed by the model's member names; members the shape lacks and nulls are left out.
//! IAM's policy documents (policyDocumentType) are percent-encoded as IAM sends them.
std::string EncodeQueryResponse(const model::ServiceModel& service, const model::Operation& op,
                                const json::value& output, std::string_view request_id);

//! <ErrorResponse xmlns="NS"><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
//! <RequestId/></ErrorResponse>. The HTTP status is error.http_status.
std::string EncodeQueryError(const model::ServiceModel& service, const AwsError& error, std::string_view request_id);

//! Content-Type of query protocol responses: "text/xml".
inline constexpr std::string_view kQueryContentType = "text/xml";

}  // namespace xacct::protocol
