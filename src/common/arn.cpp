#include "common/arn.h"

#include <algorithm>

namespace xacct {

std::optional<ArnView> ArnView::Parse(std::string_view arn) {
  if (!arn.starts_with("arn:")) return std::nullopt;
  std::string_view parts[5];
  std::string_view rest = arn;
  for (auto& part : parts) {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  return ArnView{parts[1], parts[2], parts[3], parts[4], rest};
}

std::string_view ArnView::ResourceType() const {
  const auto cut = resource.find_first_of("/:");
  return cut == std::string_view::npos ? std::string_view{} : resource.substr(0, cut);
}

bool IsAccountId(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace xacct
