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

Context::Entry& Context::Slot(std::string_view key) {
  std::string lower = AsciiLower(key);
  for (auto& e : entries_) {
    if (e.key == lower) return e;
  }
  return entries_.emplace_back(Entry{std::move(lower), {}, false});
}

void Context::Set(std::string_view key, std::string value) {
  Entry& e = Slot(key);
  e.values.assign(1, std::move(value));
  e.multivalued = false;
}

void Context::SetMulti(std::string_view key, std::vector<std::string> values) {
  Entry& e = Slot(key);
  e.values = std::move(values);
  e.multivalued = true;
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
