#include "identity/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "common/arn.h"

namespace xacct::identity {

extern const char* const kDefaultConfigYaml;  // generated from config/default.yaml

namespace {

AwsError ConfigError(const std::string& message) { return AwsError::Client("InvalidConfiguration", message); }

Status ReadUnits(const YAML::Node& node, const std::string& parent, std::vector<OrgUnit>* out) {
  if (!node) return Ok{};
  if (!node.IsSequence()) return ConfigError("organization.units must be a list");
  for (const auto& u : node) {
    OrgUnit unit;
    unit.id = u["id"].as<std::string>("");
    unit.name = u["name"].as<std::string>(unit.id);
    unit.parent_id = parent;
    if (!unit.id.starts_with("ou-")) return ConfigError("organization unit id \"" + unit.id + "\" must start with ou-");
    if (const auto accounts = u["accounts"]) {
      for (const auto& a : accounts) unit.accounts.push_back(a.as<std::string>());
    }
    out->push_back(unit);
    if (auto s = ReadUnits(u["units"], unit.id, out); !s) return s;
  }
  return Ok{};
}

}  // namespace

std::vector<std::string> Organization::LevelsOf(std::string_view account) const {
  for (const auto& unit : units) {
    if (std::find(unit.accounts.begin(), unit.accounts.end(), account) == unit.accounts.end()) continue;
    std::vector<std::string> path{std::string(account)};
    for (const OrgUnit* u = &unit; u != nullptr;) {
      path.push_back(u->id);
      const auto parent =
          std::find_if(units.begin(), units.end(), [&](const OrgUnit& x) { return x.id == u->parent_id; });
      u = parent == units.end() ? nullptr : &*parent;
    }
    path.push_back(root_id);
    std::reverse(path.begin(), path.end());
    return path;
  }
  if (account == management_account) return {root_id, std::string(account)};
  return {};
}

std::string Organization::OrgPathOf(std::string_view account) const {
  const auto levels = LevelsOf(account);
  if (levels.empty()) return {};
  std::string path = id + "/";
  for (size_t i = 0; i + 1 < levels.size(); ++i) path += levels[i] + "/";
  return path;
}

bool Organization::IsMember(std::string_view account) const { return !LevelsOf(account).empty(); }

const AccountConfig* Config::FindAccount(std::string_view id) const {
  for (const auto& a : accounts) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

std::string_view Config::DefaultText() { return kDefaultConfigYaml; }

Config Config::Default() {
  auto config = Parse(kDefaultConfigYaml);
  if (!config) throw std::logic_error("the built-in configuration does not parse: " + config.error().message);
  return std::move(*config);
}

Result<Config> Config::Parse(std::string_view yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return ConfigError(std::string("not valid YAML: ") + e.what());
  }
  Config c;
  try {
    c.default_region = root["default_region"].as<std::string>("us-east-1");
    std::set<std::string> ids, keys, names;
    for (const auto& a : root["accounts"]) {
      AccountConfig account;
      account.id = a["id"].as<std::string>("");
      account.name = a["name"].as<std::string>(account.id);
      account.region = a["region"].as<std::string>(c.default_region);
      account.root_access_key_id = a["root_access_key_id"].as<std::string>("");
      account.root_secret_access_key = a["root_secret_access_key"].as<std::string>("");
      if (!IsAccountId(account.id)) return ConfigError("account id \"" + account.id + "\" is not 12 digits");
      if (!ids.insert(account.id).second) return ConfigError("account " + account.id + " is declared twice");
      if (!names.insert(account.name).second) return ConfigError("account name " + account.name + " is used twice");
      if (account.root_access_key_id.size() < 16 || account.root_secret_access_key.empty()) {
        return ConfigError("account " + account.id +
                           " needs root_access_key_id (16+ characters) and root_secret_access_key");
      }
      if (!keys.insert(account.root_access_key_id).second) {
        return ConfigError("access key " + account.root_access_key_id + " is used twice");
      }
      c.accounts.push_back(std::move(account));
    }
    if (c.accounts.empty()) return ConfigError("the configuration declares no accounts");
    if (const auto org = root["organization"]) {
      Organization o;
      o.id = org["id"].as<std::string>("");
      o.management_account = org["management_account"].as<std::string>("");
      o.root_id = org["root_id"].as<std::string>("");
      if (!o.id.starts_with("o-")) return ConfigError("organization.id must start with o-");
      if (!o.root_id.starts_with("r-")) return ConfigError("organization.root_id must start with r-");
      if (c.FindAccount(o.management_account) == nullptr) {
        return ConfigError("organization.management_account " + o.management_account + " is not a declared account");
      }
      if (auto s = ReadUnits(org["units"], o.root_id, &o.units); !s) return s.error();
      for (const auto& u : o.units) {
        for (const auto& a : u.accounts) {
          if (c.FindAccount(a) == nullptr) return ConfigError("unit " + u.id + " lists undeclared account " + a);
        }
      }
      for (const auto& p : org["policies"]) {
        OrgPolicy policy;
        policy.id = p["id"].as<std::string>("");
        policy.name = p["name"].as<std::string>(policy.id);
        policy.type = p["type"].as<std::string>("SERVICE_CONTROL_POLICY");
        policy.description = p["description"].as<std::string>("");
        policy.document = p["document"].as<std::string>("");
        if (policy.type != "SERVICE_CONTROL_POLICY" && policy.type != "RESOURCE_CONTROL_POLICY") {
          return ConfigError("policy " + policy.id +
                             ": type must be SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY");
        }
        for (const auto& t : p["targets"]) {
          std::string target = t.as<std::string>();
          policy.targets.push_back(target == "root" ? o.root_id : target);
        }
        o.policies.push_back(std::move(policy));
      }
      c.organization = std::move(o);
    }
  } catch (const YAML::Exception& e) {
    return ConfigError(std::string("configuration: ") + e.what());
  }
  return c;
}

}  // namespace xacct::identity
