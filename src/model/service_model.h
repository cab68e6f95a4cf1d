// AWS service models (operations, shapes, error codes, protocols) loaded from the botocore models
// that tools/gen_models.py embeds at build time. The shape vocabulary follows botocore's model
// format (botocore/data/*/service-2.json), which mirrors the Smithy traits of the AWS documents
// "Smithy specification: constraint traits" (length, range, pattern, enum, required) and the
// protocol traits of "AWS query protocol" / "AWS JSON 1.0 and 1.1 protocols" (xmlName, xmlFlattened,
// timestampFormat, awsQueryError).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/pattern.h"

namespace xacct::model {

enum class Protocol : uint8_t { kQuery, kJson, kRestJson, kRestXml };

enum class ShapeType : uint8_t {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kTimestamp,
  kBlob,
  kDouble,
  kFloat,
};

//! The model's name of a shape type ("structure", "integer", ...).
std::string_view ShapeTypeName(ShapeType type);

struct Shape;

//! A reference to a shape: a structure member, a list's member, or a map's key or value, with the
//! serialization traits that belong to the reference rather than to the shape it targets.
struct ShapeRef {
  const Shape* shape = nullptr;
  std::string name;              //!< member name in its structure ("RoleName"); empty for list/map refs
  std::string location_name;     //!< serialized name when it differs (XML element, query key, JSON key)
  std::string location;          //!< REST bindings: "uri", "querystring", "header", "headers", "statusCode"
  std::string timestamp_format;  //!< "iso8601", "unixTimestamp", "rfc822" when set on the reference
  std::string xml_namespace;     //!< xmlNamespace uri on the reference, if any
  bool flattened = false;        //!< xmlFlattened on the reference
  bool xml_attribute = false;
  bool idempotency_token = false;
  bool host_label = false;
  bool json_value = false;  //!< REST header holding base64 JSON
  bool streaming = false;   //!< payload streamed as raw bytes
  bool event_payload = false;
  bool deprecated = false;

  //! The name on the wire: location_name, else name.
  std::string_view SerializedName() const { return location_name.empty() ? name : location_name; }
};

//! A length or range bound as written in the model, kept as text for error messages.
struct Bound {
  double value = 0;
  std::string text;  //!< "64", "0.0", "9223372036854775807"
};

struct ErrorInfo {
  std::string code;
  int http_status = 400;
  bool sender_fault = true;
};

//! One shape of a service model. Which fields apply depends on `type`.
struct Shape {
  std::string name;
  ShapeType type = ShapeType::kString;
  std::vector<ShapeRef> members;      //!< structure members in model order
  std::vector<std::string> required;  //!< structure members that must be present, in model order
  ShapeRef member;                    //!< list member
  ShapeRef key, value;                //!< map key and value
  std::vector<std::string> enum_values;
  std::optional<Bound> min, max;                    //!< length (string, blob, list, map) or value (numbers)
  std::string pattern;                              //!< Java regular expression the whole string must match
  std::shared_ptr<const Pattern> compiled_pattern;  //!< null when `pattern` is empty or not supported
  std::string timestamp_format;
  std::string location_name;  //!< shape-level locationName (REST XML payload root)
  std::string xml_namespace;
  std::string payload;  //!< REST: the member that is the whole body
  bool flattened = false;
  bool sensitive = false;
  bool exception = false;
  bool document = false;  //!< free-form JSON document
  bool is_union = false;
  bool streaming = false;
  bool event_stream = false;
  bool deprecated = false;
  std::optional<ErrorInfo> error;  //!< exception shapes: code (awsQueryError or the shape name), status

  //! The member named `name` (model name, not serialized name), or nullptr.
  const ShapeRef* FindMember(std::string_view member_name) const;
  bool IsRequired(std::string_view member_name) const;
  bool IsScalar() const { return type != ShapeType::kStructure && type != ShapeType::kList && type != ShapeType::kMap; }
};

struct Operation {
  std::string name;  //!< "AssumeRole"
  std::string http_method, request_uri;
  int http_status = 200;            //!< REST protocols: the success status (responseCode)
  const Shape* input = nullptr;     //!< may be null
  const Shape* output = nullptr;    //!< may be null
  std::string result_wrapper;       //!< query protocol: "AssumeRoleResult"
  std::vector<std::string> errors;  //!< error codes this operation declares
  bool deprecated = false;
};

class ServiceModel {
 public:
  //! The model of a service by its endpoint prefix or signing name ("iam", "sts", "organizations",
  //! "s3", "glue", "athena", "states", "dynamodb", "cloudformation", "lambda"), parsed on first use
  //! and then shared for the life of the process; thread-safe; nullptr if unknown.
  static const ServiceModel* Find(std::string_view service);
  //! The service whose JSON protocol X-Amz-Target prefix is `prefix` ("AWSOrganizationsV20161128",
  //! "DynamoDB_20120810", "AWSGlue", "AmazonAthena", "AWSStepFunctions"), or nullptr.
  static const ServiceModel* FindByTargetPrefix(std::string_view prefix);
  //! The endpoint prefixes of every embedded model, sorted.
  static std::vector<std::string> ServiceNames();

  //! Parses a model in botocore's JSON form (trimmed or not). Throws std::runtime_error on a model
  //! that is not well formed: embedded models are generated, so that is a build bug.
  static std::unique_ptr<ServiceModel> Parse(std::string_view model_json);

  const Operation* FindOperation(std::string_view name) const;
  const std::vector<Operation>& operations() const { return operations_; }  //!< sorted by name
  //! Every shape, sorted by name.
  const std::vector<std::unique_ptr<Shape>>& shapes() const { return shapes_; }
  //! A shape by its model name, or nullptr.
  const Shape* FindShape(std::string_view name) const;
  Protocol protocol() const { return protocol_; }
  std::string_view name() const { return name_; }  //!< endpoint prefix, e.g. "iam"
  std::string_view signing_name() const { return signing_name_; }
  std::string_view api_version() const { return api_version_; }
  std::string_view target_prefix() const { return target_prefix_; }  //!< json protocol
  std::string_view json_version() const { return json_version_; }    //!< "1.0" / "1.1"
  std::string_view xml_namespace() const { return xml_namespace_; }  //!< query / rest-xml
  std::string_view service_id() const { return service_id_; }        //!< "IAM", "SFN", ...
  //! The exception an error code (or exception shape name) stands for, from the model's exception
  //! shapes: "NoSuchEntity" and "NoSuchEntityException" both find IAM's NoSuchEntityException.
  const ErrorInfo* FindError(std::string_view code) const;
  //! The exception shape for an error code (or shape name), or nullptr.
  const Shape* FindErrorShape(std::string_view code) const;

 private:
  ServiceModel() = default;

  std::string name_, signing_name_, api_version_, target_prefix_, json_version_, xml_namespace_, service_id_;
  Protocol protocol_ = Protocol::kQuery;
  std::vector<std::unique_ptr<Shape>> shapes_;  // sorted by name; pointers stay valid
  std::vector<Operation> operations_;           // sorted by name
  std::vector<const Shape*> errors_by_code_;    // exception shapes sorted by error code
};

}  // namespace xacct::model
