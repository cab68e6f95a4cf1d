#include "policy/context.h"

#include <algorithm>

namespace xacct::policy {

namespace {
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

void Context::Set(std::string_view key, std::string value) {
  std::vector<std::string> values;
  values.push_back(std::move(value));
  Erase(key);
  entries_.push_back(Entry{AsciiLower(key), std::move(values), false});
}

void Context::SetMulti(std::string_view key, std::vector<std::string> values) {
  Erase(key);
  entries_.push_back(Entry{AsciiLower(key), std::move(values), true});
}

void Context::Erase(std::string_view key) {
  const std::string lower = AsciiLower(key);
  std::erase_if(entries_, [&](const Entry& e) { return e.key == lower; });
}

const Context::Entry* Context::Find(std::string_view lower_key) const {
  for (const auto& e : entries_) {
    if (e.key == lower_key) return &e;
  }
  return nullptr;
}

std::optional<std::string_view> Context::Single(std::string_view lower_key) const {
  const Entry* e = Find(lower_key);
  if (e == nullptr || e->multivalued || e->values.size() != 1) return std::nullopt;
  return std::string_view(e->values.front());
}

}  // namespace xacct::policy
