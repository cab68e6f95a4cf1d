#include "services/athena/result_files.h"

#include <charconv>
#include <fstream>

namespace xacct::services::athena {

namespace {

constexpr std::string_view kMetadataFormat = "xacct-athena-result-metadata/1";
constexpr std::string_view kTokenPrefix = "xacct-page-";

void AppendCsvField(std::string* out, const std::string& value) {
  out->push_back('"');
  for (const char c : value) {
    out->push_back(c);
    if (c == '"') out->push_back('"');
  }
  out->push_back('"');
}

json::object Cell(const std::optional<std::string>& value) {
  return value ? json::object{{"VarCharValue", *value}} : json::object{};
}

// One csv record from `in`: a quoted field or an empty one (NULL) per column. False at the end of the file.
bool ReadCsvRecord(std::istream& in, std::vector<std::optional<std::string>>* fields) {
  fields->clear();
  int c = in.get();
  if (c == std::char_traits<char>::eof()) return false;
  for (;;) {
    if (c == '"') {
      std::string value;
      for (;;) {
        c = in.get();
        if (c == std::char_traits<char>::eof()) break;
        if (c == '"') {
          if (in.peek() == '"') {
            value.push_back(static_cast<char>(in.get()));
            continue;
          }
          c = in.get();
          break;
        }
        value.push_back(static_cast<char>(c));
      }
      fields->emplace_back(std::move(value));
    } else {
      // Athena writes NULL as nothing at all; anything unquoted is read as written.
      std::string value;
      while (c != ',' && c != '\n' && c != std::char_traits<char>::eof()) {
        value.push_back(static_cast<char>(c));
        c = in.get();
      }
      fields->push_back(value.empty() ? std::nullopt : std::optional<std::string>(value));
    }
    if (c == ',') {
      c = in.get();
      if (c == '\n' || c == std::char_traits<char>::eof()) {
        fields->emplace_back(std::nullopt);
        return true;
      }
      continue;
    }
    return true;  // '\n' or the end of the file
  }
}

}  // namespace

RenderedResult RenderResult(const std::string& query_id, const Outcome& outcome) {
  RenderedResult out;
  // DDL that answers no rows (CREATE DATABASE, DROP TABLE, ...) still writes an empty <id>.txt.
  const bool txt = outcome.result_format == "txt" || (outcome.statement_type == "DDL" && !outcome.rows);
  out.extension = txt ? "txt" : "csv";
  json::array columns;
  size_t row_count = 0;
  if (outcome.rows) {
    const auto& rs = *outcome.rows;
    row_count = rs.rows.size();
    for (const auto& c : rs.columns) {
      columns.push_back(json::object{{"CatalogName", "hive"},
                                     {"SchemaName", ""},
                                     {"TableName", ""},
                                     {"Name", c.name},
                                     {"Label", c.name},
                                     {"Type", c.type},
                                     {"Precision", c.precision},
                                     {"Scale", c.scale},
                                     {"Nullable", "UNKNOWN"},
                                     {"CaseSensitive", c.type == "varchar"}});
    }
    if (out.extension == "csv") {
      for (size_t i = 0; i < rs.columns.size(); ++i) {
        if (i > 0) out.data.push_back(',');
        AppendCsvField(&out.data, rs.columns[i].name);
      }
      if (!rs.columns.empty()) out.data.push_back('\n');
      for (const auto& row : rs.rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          if (i > 0) out.data.push_back(',');
          if (row[i]) AppendCsvField(&out.data, *row[i]);
        }
        out.data.push_back('\n');
      }
    } else {
      for (size_t r = 0; r < rs.rows.size(); ++r) {
        if (r > 0) out.data.push_back('\n');
        for (size_t i = 0; i < rs.rows[r].size(); ++i) {
          if (i > 0) out.data.push_back('\t');
          if (rs.rows[r][i]) out.data += *rs.rows[r][i];
        }
      }
    }
  }
  json::object metadata{{"Format", kMetadataFormat},       {"QueryExecutionId", query_id},
                        {"ResultFormat", out.extension},   {"HeaderRow", out.extension == "csv" && !columns.empty()},
                        {"RowCount", row_count},           {"StatementType", outcome.statement_type},
                        {"ColumnInfo", std::move(columns)}};
  if (!outcome.substatement_type.empty()) metadata["SubstatementType"] = outcome.substatement_type;
  if (outcome.update_count) metadata["UpdateCount"] = *outcome.update_count;
  out.metadata = json::serialize(metadata) + "\n";
  return out;
}

json::array ColumnInfoOf(const json::object& metadata) {
  const auto* info = metadata.if_contains("ColumnInfo");
  return info != nullptr && info->is_array() ? info->as_array() : json::array{};
}

Result<ResultPage> ReadResultPage(const std::filesystem::path& path, const json::object& metadata, uint64_t offset,
                                  size_t max_rows) {
  ResultPage page;
  const bool csv = StringField(metadata, "ResultFormat") != "txt";
  std::error_code ec;
  const uint64_t size = path.empty() ? 0 : std::filesystem::file_size(path, ec);
  if (ec) return AwsError::Server("InternalServerException", "cannot read the query results");
  if (!csv && offset == 0 && size == 0) {
    // A txt of one empty row and one of no rows are both empty files; the metadata tells them apart.
    const auto* count = metadata.if_contains("RowCount");
    if (count != nullptr && count->is_number() && count->to_number<int64_t>() == 1 && max_rows > 0) {
      page.rows.push_back(json::object{{"Data", json::array{json::object{{"VarCharValue", ""}}}}});
    }
    return page;
  }
  if (offset >= size) return page;
  std::ifstream in(path, std::ios::binary);
  if (!in) return AwsError::Server("InternalServerException", "cannot read the query results");
  in.seekg(static_cast<std::streamoff>(offset));
  const size_t columns = ColumnInfoOf(metadata).size();
  std::vector<std::optional<std::string>> fields;
  while (page.rows.size() < max_rows) {
    json::array data;
    if (csv) {
      if (!ReadCsvRecord(in, &fields)) break;
      for (const auto& f : fields) data.push_back(Cell(f));
    } else {
      std::string line;
      if (in.peek() == std::char_traits<char>::eof() || !std::getline(in, line)) break;
      // A line holds one value per column, tab-separated; the last column keeps any further tabs.
      size_t start = 0;
      for (size_t i = 0; i + 1 < std::max<size_t>(columns, 1); ++i) {
        const size_t tab = line.find('\t', start);
        if (tab == std::string::npos) break;
        data.push_back(json::object{{"VarCharValue", line.substr(start, tab - start)}});
        start = tab + 1;
      }
      data.push_back(json::object{{"VarCharValue", line.substr(start)}});
    }
    page.rows.push_back(json::object{{"Data", std::move(data)}});
  }
  in.clear();
  const auto position = in.tellg();
  const uint64_t next = position < 0 ? size : static_cast<uint64_t>(position);
  // Athena hands out a NextToken whenever a page is full (even when nothing follows).
  if (page.rows.size() == max_rows && max_rows > 0) page.next_offset = next;
  return page;
}

std::string PageToken(uint64_t offset) { return std::string(kTokenPrefix) + std::to_string(offset); }

std::optional<uint64_t> ParsePageToken(std::string_view token) {
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return std::nullopt;
  const std::string_view digits = token.substr(kTokenPrefix.size());
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  return value;
}

}  // namespace xacct::services::athena
