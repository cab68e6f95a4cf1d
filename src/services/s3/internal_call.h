// Any S3 operation called from inside xacct (Step Functions' aws-sdk:s3:ACTION tasks) as an S3 client would
// call it: the input, keyed by the botocore model's member names, is serialized into an HTTP request the
// way botocore's RestXMLSerializer writes it (path-style; URI labels, querystring, header and header-map
// members; a blob/string payload as the body, a structure payload as XML), handed to S3Service::Open as a
// header-authenticated request of `caller`, and the response is read back the way botocore's
// RestXMLParser reads it (botocore/serialize.py, botocore/parsers.py). Because the request goes through the
// same sink as a request from the network, authorization, bucket policies and audit are those of the wire.
#pragma once

#include <string_view>

#include "common/json.h"
#include "services/s3/s3.h"

namespace xacct::services::s3 {

//! Calls S3 `operation` ("CopyObject") as `caller` with `input` by the model's member names. Scalars in
//! the output are typed by their shape (numbers, booleans; timestamps as ISO 8601 text), a blob or
//! streaming payload is its bytes as a JSON string. An error answer becomes its AwsError (the body's
//! Code and Message, the HTTP status; a HEAD answer, which has no body, the error the operation declares
//! for that status, else an empty code and the message "null", as the Java SDK v2 reports it); `detail` carries
//! xacct's authorization explanation. `info` supplies the request id, region and time.
Result<json::object> CallS3(S3Service& s3, const identity::Principal& caller, authz::RequestInfo info,
                            std::string_view operation, const json::object& input);

}  // namespace xacct::services::s3
