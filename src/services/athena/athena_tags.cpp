// Tags on Athena workgroups and data catalogs (Amazon Athena API Reference: TagResource, UntagResource,
// ListTagsForResource; Athena User Guide, "Tagging Athena resources"). A resource holds at most 50 tags;
// a key given again replaces its value. The tags live in the resource's own document.
#include <algorithm>

#include "common/arn.h"
#include "services/athena/athena_ops.h"
#include "services/athena/athena_store.h"

namespace xacct::services::athena {

namespace {

struct Tagged {
  std::string_view kind;  //!< kWorkGroupKind or kDataCatalogKind
  std::string name;
  json::object doc;
};

AwsError NotFound(std::string_view arn) {
  return ResourceNotFound("Resource " + std::string(arn) + " does not exist.");
}

// The workgroup or registered data catalog an ARN of the caller's account and region names, after
// authorizing `operation` on that ARN.
Result<Tagged> LoadTagged(CallContext& ctx, std::string_view operation, const std::string& arn,
                          const json::array* request_tags) {
  const auto parsed = ArnView::Parse(arn);
  std::string_view kind;
  std::string name;
  if (parsed && parsed->service == "athena") {
    const std::string_view type = parsed->ResourceType();
    if (type == "workgroup") kind = kWorkGroupKind;
    if (type == "datacatalog") kind = kDataCatalogKind;
    if (!kind.empty()) name = std::string(parsed->resource.substr(type.size() + 1));
  }
  std::optional<json::object> doc;
  if (!kind.empty() && parsed->account == ctx.caller.account && parsed->region == ctx.request.region && !name.empty()) {
    if (kind == kWorkGroupKind) {
      auto w = FindWorkGroup(ctx.identities.db(), ScopeOf(ctx), name);
      if (!w) return w.error();
      doc = std::move(*w);
    } else if (name != kDefaultCatalog) {
      auto c = LoadDataCatalog(ctx.identities.db(), ctx.caller.account, ctx.request.region, name);
      if (!c) return c.error();
      doc = std::move(*c);
    }
  }
  const json::array* tags = nullptr;
  if (doc) {
    if (const auto* t = doc->if_contains("Tags"); t != nullptr && t->is_array()) tags = &t->get_array();
  }
  if (auto s = AuthorizeAthena(ctx, operation, arn, tags, request_tags); !s) return s.error();
  if (!doc) return NotFound(arn);
  return Tagged{kind, name, std::move(*doc)};
}

json::array& TagsOf(json::object& doc) {
  auto& v = doc["Tags"];
  if (!v.is_array()) v = json::array{};
  return v.get_array();
}

Status Save(CallContext& ctx, const Tagged& t) {
  const std::string body = json::serialize(t.doc);
  return ctx.identities.db().Write([&](store::Transaction& tx) { return tx.Put(ScopeOf(ctx), t.kind, t.name, body); });
}

}  // namespace

Result<json::object> TagResource(CallContext& ctx, const json::object& in) {
  const auto* v = in.if_contains("Tags");
  const json::array empty;
  const json::array& add = v != nullptr && v->is_array() ? v->get_array() : empty;
  auto t = LoadTagged(ctx, "TagResource", Str(in, "ResourceARN"), &add);
  if (!t) return t.error();
  json::array& tags = TagsOf(t->doc);
  for (const auto& tag : add) {
    if (!tag.is_object()) continue;
    const std::string key = Str(tag.get_object(), "Key");
    EraseIf(tags, [&](const json::value& e) { return e.is_object() && Str(e.get_object(), "Key") == key; });
    tags.push_back(json::object{{"Key", key}, {"Value", Str(tag.get_object(), "Value")}});
  }
  if (tags.size() > 50) return InvalidRequest("Too many tags: a resource can have at most 50 tags.");
  if (auto s = Save(ctx, *t); !s) return s.error();
  return json::object{};
}

Result<json::object> UntagResource(CallContext& ctx, const json::object& in) {
  const auto* v = in.if_contains("TagKeys");
  const json::array empty;
  const json::array& keys = v != nullptr && v->is_array() ? v->get_array() : empty;
  auto t = LoadTagged(ctx, "UntagResource", Str(in, "ResourceARN"), nullptr);
  if (!t) return t.error();
  json::array& tags = TagsOf(t->doc);
  EraseIf(tags, [&](const json::value& e) {
    if (!e.is_object()) return true;
    const std::string key = Str(e.get_object(), "Key");
    return std::any_of(keys.begin(), keys.end(), [&](const json::value& k) { return JsonString(k) == key; });
  });
  if (auto s = Save(ctx, *t); !s) return s.error();
  return json::object{};
}

Result<json::object> ListTagsForResource(CallContext& ctx, const json::object& in) {
  auto t = LoadTagged(ctx, "ListTagsForResource", Str(in, "ResourceARN"), nullptr);
  if (!t) return t.error();
  json::array& tags = TagsOf(t->doc);
  auto page = Paginate(in, tags.size(), 75, 75);
  if (!page) return page.error();
  json::array out;
  for (size_t i = page->begin; i < page->end; ++i) out.push_back(tags[i]);
  json::object result{{"Tags", std::move(out)}};
  if (!page->next_token.empty()) result["NextToken"] = page->next_token;
  return result;
}

}  // namespace xacct::services::athena
