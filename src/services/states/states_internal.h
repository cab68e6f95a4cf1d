// What the Step Functions handlers share (AWS Step Functions API Reference: "Common Errors", the ARN forms of
// StateMachine, version, alias and Execution; Service Authorization Reference, "Actions, resources, and
// condition keys for AWS Step Functions"): ARNs, errors in AWS's words, the stored documents, authorization.
//
// Everything lives in the (account, region) scope the resource's ARN names. Documents:
//   states-machine    id NAME              the state machine (definition, role, type, configuration, tags)
//   states-version    id NAME/NNNNNNNNNN   a published version
//   states-alias      id NAME/ALIAS        an alias and its routing configuration
//   states-execution  id NAME/EXECUTION    a STANDARD execution's record
//   states-checkpoint id NAME/EXECUTION    where a running execution resumes (asl::ExecutionSink::Checkpoint)
//   states-history    id NAME/EXECUTION/NNNNNNNNNN   a batch of history events, by its first event id
// and, in the global scope, states-running (id ACCOUNT/REGION/NAME/EXECUTION): the executions to resume when
// the server starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "services/service.h"
#include "store/database.h"

namespace xacct::services::states {

inline constexpr std::string_view kMachineKind = "states-machine";
inline constexpr std::string_view kVersionKind = "states-version";
inline constexpr std::string_view kAliasKind = "states-alias";
inline constexpr std::string_view kExecutionKind = "states-execution";
inline constexpr std::string_view kCheckpointKind = "states-checkpoint";
inline constexpr std::string_view kHistoryKind = "states-history";
inline constexpr std::string_view kRunningKind = "states-running";

//! Step Functions' limits (Developer Guide, "Step Functions service quotas").
inline constexpr int64_t kExpressMaxDurationMs = 5 * 60 * 1000;
inline constexpr size_t kMaxPayloadBytes = 262144;        //!< input/output of an execution or state
inline constexpr int64_t kMaxHistoryEvents = 25000;       //!< events in one execution's history
inline constexpr int64_t kNameReuseMs = 90LL * 86400000;  //!< an execution name is unique for 90 days
inline constexpr int64_t kRedriveWindowMs = 14LL * 86400000;

// ---- ARNs ----

//! A state machine ARN, unqualified or qualified with a version number or an alias name.
struct MachineRef {
  std::string account, region, name;
  std::optional<int64_t> version;  //!< arn:...:stateMachine:NAME:7
  std::string alias;               //!< arn:...:stateMachine:NAME:PROD
  bool qualified() const { return version.has_value() || !alias.empty(); }
};
//! InvalidArn ("Invalid Arn: '...'") for anything else; a Distributed Map label (NAME/label) is refused too.
Result<MachineRef> ParseMachineArn(std::string_view arn);

//! An execution ARN: arn:aws:states:R:A:execution:MACHINE:NAME, or EXPRESS's arn:...:express:MACHINE:NAME:ID.
struct ExecutionRef {
  std::string account, region, machine, name;
  bool express = false;
};
Result<ExecutionRef> ParseExecutionArn(std::string_view arn);

std::string MachineArn(std::string_view account, std::string_view region, std::string_view name);
std::string VersionArn(std::string_view machine_arn, int64_t version);
std::string AliasArn(std::string_view machine_arn, std::string_view alias);
std::string ExecutionArn(std::string_view account, std::string_view region, std::string_view machine,
                         std::string_view name);

store::Scope ScopeOf(std::string_view account, std::string_view region);
std::string ExecutionId(std::string_view machine, std::string_view name);  //!< "MACHINE/NAME"
std::string VersionId(std::string_view machine, int64_t version);          //!< "MACHINE/0000000007"

// ---- errors, in the API Reference's words ----

AwsError InvalidArn(std::string_view detail);  //!< "Invalid Arn: 'DETAIL'"
AwsError InvalidName(std::string_view name);   //!< "Invalid Name: 'NAME'"
AwsError StateMachineDoesNotExist(std::string_view arn);
AwsError ExecutionDoesNotExist(std::string_view arn);
AwsError ResourceNotFound(std::string_view arn);
AwsError Validation(std::string message);  //!< ValidationException
AwsError Conflict(std::string message);    //!< ConflictException
AwsError InvalidToken(std::string_view token);
AwsError TypeNotSupported();  //!< StateMachineTypeNotSupported
//! The AccessDeniedException Create/UpdateStateMachine answer for a role states.amazonaws.com cannot assume.
AwsError UntrustedRole();
inline constexpr std::string_view kUntrustedRoleMessage =
    "Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the "
    "provided role.";

//! Names of state machines, executions, aliases: 1-80 characters, no whitespace, brackets, wildcards, special
//! characters or control characters (API Reference, CreateStateMachine "name").
bool ValidName(std::string_view name);

// ---- documents ----

Result<std::optional<json::object>> LoadDoc(store::Database& db, const store::Scope& scope, std::string_view kind,
                                            std::string_view id);
Result<std::vector<json::object>> ListDocs(store::Database& db, const store::Scope& scope, std::string_view kind,
                                           std::string_view id_prefix);

//! The state machine a (possibly qualified) ARN names: the machine's document and, for a version or an alias,
//! the version it resolves to (an alias by its routing weights). StateMachineDoesNotExist / ResourceNotFound.
struct Resolved {
  json::object machine;
  std::optional<json::object> version;  //!< the version document (definition, roleArn, ... of that version)
  std::optional<json::object> alias;
  std::string machine_arn;  //!< unqualified
  std::string version_arn;  //!< when a version or an alias was named
  std::string alias_arn;    //!< when an alias was named
  const json::object& Effective() const { return version ? *version : machine; }
};
Result<Resolved> Resolve(store::Database& db, const MachineRef& ref, std::string_view arn_text);

// ---- authorization ----

//! Authorizes states:`action` on `resource` (an ARN, or "*") in `account` as the caller; `tags` (the resource's
//! [{key, value}]) give aws:ResourceTag/*, `request_tags` aws:RequestTag/* and aws:TagKeys.
Status AuthorizeStates(CallContext& ctx, std::string_view action, std::string_view resource, std::string_view account,
                       const json::array* tags = nullptr, const json::array* request_tags = nullptr);
//! iam:PassRole on `role_arn` with iam:PassedToService = states.amazonaws.com.
Status AuthorizePassRole(CallContext& ctx, std::string_view role_arn);
//! Whether the role's trust policy lets states.amazonaws.com (or states.REGION.amazonaws.com) assume it for
//! `machine_arn` (aws:SourceArn, aws:SourceAccount); the decisions go to the audit log. UntrustedRole when not.
Status CheckRoleTrust(CallContext& ctx, std::string_view role_arn, std::string_view machine_arn);

// ---- values ----

int64_t NowMs();
double Seconds(int64_t ms);  //!< a timestamp member's value on the wire (epoch seconds)
const json::object* Obj(const json::object& o, std::string_view key);
const json::array* Arr(const json::object& o, std::string_view key);
bool Bool(const json::object& o, std::string_view key);
int64_t IntOr(const json::object& o, std::string_view key, int64_t fallback);

//! The page [begin, end) of `count` items that nextToken/maxResults ask for (maxResults 0 or absent:
//! `default_max`); InvalidToken for a token xacct did not issue.
struct Page {
  size_t begin = 0, end = 0;
  std::string next_token;
};
Result<Page> Paginate(const json::object& in, size_t count, int64_t default_max, int64_t max_max);

//! A JSON text of at most 256 KiB; `what` names it in the error (InvalidExecutionInput or InvalidOutput style).
Result<json::value> ParsePayload(std::string_view text);

}  // namespace xacct::services::states
