// The request context of an authorization check: condition keys and their values.
// Keys are case-insensitive (IAM User Guide, "IAM JSON policy elements: Condition"); a key is either
// single-valued or multivalued ("Single-valued vs. multivalued context keys").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xacct::policy {

//! Lowercases ASCII letters; condition keys and action names compare this way.
std::string AsciiLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

class Context {
 public:
  struct Entry {
    std::string key;  //!< lowercased
    std::vector<std::string> values;
    bool multivalued = false;
  };

  //! Sets a single-valued key (replacing any earlier value).
  void Set(std::string_view key, std::string value);
  //! Sets a multivalued key. An empty list is a key present with no values.
  void SetMulti(std::string_view key, std::vector<std::string> values);
  void Erase(std::string_view key);

  //! The entry for an already-lowercased key, or nullptr when absent.
  const Entry* Find(std::string_view lower_key) const;
  //! The value of a single-valued key, or nullopt (absent or multivalued).
  std::optional<std::string_view> Single(std::string_view lower_key) const;

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  Entry& Slot(std::string_view key);
  std::vector<Entry> entries_;
};

}  // namespace xacct::policy
