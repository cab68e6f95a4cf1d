#include "sql/table_scan.h"

#include <map>

#include "sql/engine.h"
#include "sql/tokenizer.h"

namespace xacct::sql {

namespace {

AwsError Unsupported(const std::string& what) {
  return AwsError::Client("HIVE_UNSUPPORTED_FORMAT", "HIVE_UNSUPPORTED_FORMAT: " + what);
}

const json::object* Object(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

const json::array* Array(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

std::string Param(const json::object* params, std::string_view key, std::string fallback = {}) {
  if (params == nullptr) return fallback;
  const auto* v = params->if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : fallback;
}

// Splits "a:int,b:array<int>" (or "int,string") at top-level commas.
std::vector<std::string> SplitTopLevel(std::string_view s) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (const char c : s) {
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

struct Column {
  std::string name;
  std::string hive_type;
  std::string duck_type;
};

Result<std::vector<Column>> ColumnsOf(const json::array* list) {
  std::vector<Column> out;
  if (list == nullptr) return out;
  for (const auto& v : *list) {
    if (!v.is_object()) continue;
    Column c{ToLower(StringField(v.as_object(), "Name")), ToLower(StringField(v.as_object(), "Type")), {}};
    auto t = DuckDbType(c.hive_type);
    if (!t) return t.error();
    c.duck_type = *t;
    out.push_back(std::move(c));
  }
  return out;
}

// The table's SerDe library, or what its InputFormat implies.
std::string SerdeLibrary(const json::object& sd) {
  const auto* serde = Object(sd, "SerdeInfo");
  std::string lib = serde != nullptr ? StringField(*serde, "SerializationLibrary") : "";
  if (!lib.empty()) return lib;
  const std::string input = StringField(sd, "InputFormat");
  if (input.find("Parquet") != std::string::npos) return "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
  if (input.find("Orc") != std::string::npos) return "org.apache.hadoop.hive.ql.io.orc.OrcSerde";
  return "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
}

std::string FileList(const std::vector<const ScanFile*>& files) {
  std::string out = "[";
  for (size_t i = 0; i < files.size(); ++i) out += (i > 0 ? ", " : "") + SqlString(files[i]->path);
  return out + "]";
}

std::string CompressionOf(std::string_view key) {
  auto ends = [&](std::string_view ext) {
    return key.size() >= ext.size() && key.substr(key.size() - ext.size()) == ext;
  };
  if (ends(".gz") || ends(".gzip")) return "gzip";
  if (ends(".zst")) return "zstd";
  return "none";
}

// The one character a Hive delimiter property names: "\t", "\\t" (as some tools store it), "\001" or "1".
std::string DelimiterChar(std::string value, std::string fallback) {
  if (value.empty()) return fallback;
  if (value == "\\t") return "\t";
  if (value.size() > 1 && std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(c); })) {
    return std::string(1, static_cast<char>(std::stoi(value)));
  }
  return value.substr(0, 1);
}

}  // namespace

Result<std::string> DuckDbType(std::string_view hive_type) {
  const std::string t = ToLower(Trim(hive_type));
  static const std::map<std::string, std::string, std::less<>> simple{{"tinyint", "TINYINT"},
                                                                      {"smallint", "SMALLINT"},
                                                                      {"int", "INTEGER"},
                                                                      {"integer", "INTEGER"},
                                                                      {"bigint", "BIGINT"},
                                                                      {"float", "FLOAT"},
                                                                      {"real", "FLOAT"},
                                                                      {"double", "DOUBLE"},
                                                                      {"boolean", "BOOLEAN"},
                                                                      {"string", "VARCHAR"},
                                                                      {"varchar", "VARCHAR"},
                                                                      {"char", "VARCHAR"},
                                                                      {"date", "DATE"},
                                                                      {"timestamp", "TIMESTAMP"},
                                                                      {"binary", "BLOB"},
                                                                      {"decimal", "DECIMAL(10,0)"},
                                                                      {"double precision", "DOUBLE"}};
  if (auto it = simple.find(t); it != simple.end()) return it->second;
  auto open = t.find_first_of("<(");
  if (open == std::string::npos || (t.back() != '>' && t.back() != ')')) {
    return Unsupported("xacct does not know the column type " + std::string(hive_type));
  }
  const std::string head = Trim(t.substr(0, open));
  const std::string inner = t.substr(open + 1, t.size() - open - 2);
  if (head == "varchar" || head == "char") return std::string("VARCHAR");
  if (head == "decimal") return "DECIMAL(" + inner + ")";
  if (head == "array") {
    auto e = DuckDbType(inner);
    if (!e) return e.error();
    return *e + "[]";
  }
  if (head == "map") {
    auto parts = SplitTopLevel(inner);
    if (parts.size() != 2) return Unsupported("bad map type " + std::string(hive_type));
    auto k = DuckDbType(parts[0]);
    auto v = DuckDbType(parts[1]);
    if (!k) return k.error();
    if (!v) return v.error();
    return "MAP(" + *k + ", " + *v + ")";
  }
  if (head == "struct") {
    std::string out = "STRUCT(";
    bool first = true;
    for (const auto& field : SplitTopLevel(inner)) {
      const auto colon = field.find(':');
      if (colon == std::string::npos) return Unsupported("bad struct type " + std::string(hive_type));
      auto ft = DuckDbType(field.substr(colon + 1));
      if (!ft) return ft.error();
      out += (first ? "" : ", ") + SqlIdentifier(Trim(field.substr(0, colon))) + " " + *ft;
      first = false;
    }
    return out + ")";
  }
  return Unsupported("xacct does not know the column type " + std::string(hive_type));
}

Result<TableFormat> FormatOf(const json::object& table) {
  const auto* sd = Object(table, "StorageDescriptor");
  if (sd == nullptr) return Unsupported("the table has no StorageDescriptor");
  const std::string lib = SerdeLibrary(*sd);
  if (lib == "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe" ||
      lib == "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerde") {
    return TableFormat::kText;
  }
  if (lib == "org.apache.hadoop.hive.serde2.OpenCSVSerde") return TableFormat::kOpenCsv;
  if (lib == "org.openx.data.jsonserde.JsonSerDe" || lib == "org.apache.hive.hcatalog.data.JsonSerDe" ||
      lib == "org.apache.hadoop.hive.serde2.JsonSerDe") {
    return TableFormat::kJson;
  }
  if (lib == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe") return TableFormat::kParquet;
  return Unsupported("xacct does not read tables with SerDe " + lib + " yet (TEXTFILE, OpenCSV, JSON and " +
                     "PARQUET tables are read)");
}

Result<std::vector<std::pair<std::string, std::string>>> TableColumns(const json::object& table) {
  const auto* sd = Object(table, "StorageDescriptor");
  auto columns = ColumnsOf(sd != nullptr ? Array(*sd, "Columns") : nullptr);
  if (!columns) return columns.error();
  auto keys = ColumnsOf(Array(table, "PartitionKeys"));
  if (!keys) return keys.error();
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : *columns) out.emplace_back(c.name, c.duck_type);
  for (const auto& c : *keys) out.emplace_back(c.name, c.duck_type);
  return out;
}

// Types DuckDB's CSV reader parses as TRY_CAST from VARCHAR would (scalars only).
bool TypedReadable(std::string_view duck_type) {
  static constexpr std::string_view kScalars[] = {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "DOUBLE",
                                                  "FLOAT",  "VARCHAR", "BOOLEAN",  "DATE"};
  for (auto t : kScalars) {
    if (duck_type == t) return true;
  }
  return duck_type.starts_with("DECIMAL(");
}

bool IsTypedScanFailure(std::string_view message) {
  return message.find("Could not convert") != std::string_view::npos ||
         message.find("CSV Error") != std::string_view::npos ||
         message.find("Conversion Error") != std::string_view::npos;
}

Result<std::string> ScanSql(const json::object& table, const std::vector<ScanPartition>& partitions, bool typed) {
  auto format = FormatOf(table);
  if (!format) return format.error();
  const auto& sd = *Object(table, "StorageDescriptor");
  auto columns = ColumnsOf(Array(sd, "Columns"));
  if (!columns) return columns.error();
  auto keys = ColumnsOf(Array(table, "PartitionKeys"));
  if (!keys) return keys.error();
  const auto* serde = Object(sd, "SerdeInfo");
  const json::object* serde_params = serde != nullptr ? Object(*serde, "Parameters") : nullptr;
  const json::object* table_params = Object(table, "Parameters");

  // The partition columns' constant values, typed.
  auto partition_values = [&](const ScanPartition& p) {
    std::string out;
    for (size_t i = 0; i < keys->size(); ++i) {
      const std::string value = i < p.values.size() ? p.values[i] : "";
      const std::string literal = value == "__HIVE_DEFAULT_PARTITION__" ? "NULL" : SqlString(value);
      out += ", TRY_CAST(" + literal + " AS " + (*keys)[i].duck_type + ") AS " + SqlIdentifier((*keys)[i].name);
    }
    return out;
  };

  std::vector<std::string> selects;
  for (const auto& p : partitions) {
    // Files grouped by compression: DuckDB is told, since blob paths carry no extension.
    std::map<std::string, std::vector<const ScanFile*>> groups;
    for (const auto& f : p.files) groups[CompressionOf(f.key)].push_back(&f);
    for (const auto& [compression, files] : groups) {
      std::string projection;
      std::string source;
      if (*format == TableFormat::kText || *format == TableFormat::kOpenCsv) {
        const bool open_csv = *format == TableFormat::kOpenCsv;
        const bool read_typed = typed && std::all_of(columns->begin(), columns->end(),
                                                     [](const auto& c) { return TypedReadable(c.duck_type); });
        std::string names = "{";
        for (size_t i = 0; i < columns->size(); ++i) {
          const std::string& type = (*columns)[i].duck_type;
          names += (i > 0 ? ", " : "") + SqlString("c" + std::to_string(i)) + ": " +
                   SqlString(read_typed ? type : "VARCHAR");
          const std::string raw = "c" + std::to_string(i);
          projection += (i > 0 ? ", " : "");
          projection += type == "VARCHAR" || read_typed
                            ? raw + " AS " + SqlIdentifier((*columns)[i].name)
                            : "TRY_CAST(" + raw + " AS " + type + ") AS " + SqlIdentifier((*columns)[i].name);
        }
        names += "}";
        std::string options = ", columns=" + names + ", header=false, auto_detect=false, null_padding=true" +
                              ", strict_mode=false, compression=" + SqlString(compression);
        const std::string skip = Param(table_params, "skip.header.line.count");
        if (!skip.empty() && std::all_of(skip.begin(), skip.end(), [](char c) { return std::isdigit(c); })) {
          options += ", skip=" + skip;
        }
        if (open_csv) {
          options += ", delim=" + SqlString(DelimiterChar(Param(serde_params, "separatorChar"), ",")) +
                     ", quote=" + SqlString(DelimiterChar(Param(serde_params, "quoteChar"), "\"")) +
                     ", escape=" + SqlString(DelimiterChar(Param(serde_params, "escapeChar"), "\\"));
        } else {
          std::string delim = Param(serde_params, "field.delim");
          if (delim.empty()) delim = Param(serde_params, "serialization.format");
          options += ", delim=" + SqlString(DelimiterChar(delim, "\x01")) + ", quote='', escape=''" +
                     ", nullstr=" + SqlString(Param(serde_params, "serialization.null.format", "\\N"));
        }
        source = "read_csv(" + FileList(files) + options + ")";
      } else if (*format == TableFormat::kParquet) {
        for (size_t i = 0; i < columns->size(); ++i) {
          projection += (i > 0 ? ", " : "");
          projection += "TRY_CAST(" + SqlIdentifier((*columns)[i].name) + " AS " + (*columns)[i].duck_type + ") AS " +
                        SqlIdentifier((*columns)[i].name);
        }
        source = "read_parquet(" + FileList(files) + ", union_by_name=true)";
      } else {
        std::string spec = "{";
        for (size_t i = 0; i < columns->size(); ++i) {
          spec += (i > 0 ? ", " : "") + SqlString((*columns)[i].name) + ": " + SqlString((*columns)[i].duck_type);
          projection += (i > 0 ? ", " : "") + SqlIdentifier((*columns)[i].name);
        }
        spec += "}";
        source = "read_json(" + FileList(files) + ", format='newline_delimited', columns=" + spec +
                 ", compression=" + SqlString(compression == "none" ? "uncompressed" : compression) + ")";
      }
      selects.push_back("SELECT " + projection + partition_values(p) + " FROM " + source);
    }
  }
  if (selects.empty()) {
    // No file: an empty relation of the table's shape.
    std::string projection;
    for (size_t i = 0; i < columns->size(); ++i) {
      projection += (i > 0 ? ", " : "") + std::string("NULL::") + (*columns)[i].duck_type + " AS " +
                    SqlIdentifier((*columns)[i].name);
    }
    for (const auto& k : *keys) projection += ", NULL::" + k.duck_type + " AS " + SqlIdentifier(k.name);
    return "SELECT " + projection + " WHERE false";
  }
  std::string out;
  for (size_t i = 0; i < selects.size(); ++i) out += (i > 0 ? "\nUNION ALL " : "") + selects[i];
  return out;
}

Result<WriteFormat> WriteFormatOf(const json::object& table) {
  auto format = FormatOf(table);
  if (!format) return format.error();
  WriteFormat out;
  out.format = *format;
  const auto& sd = *Object(table, "StorageDescriptor");
  const auto* serde = Object(sd, "SerdeInfo");
  const json::object* serde_params = serde != nullptr ? Object(*serde, "Parameters") : nullptr;
  const json::object* table_params = Object(table, "Parameters");
  if (*format == TableFormat::kOpenCsv) {
    out.delimiter = DelimiterChar(Param(serde_params, "separatorChar"), ",");
  } else {
    std::string delim = Param(serde_params, "field.delim");
    if (delim.empty()) delim = Param(serde_params, "serialization.format");
    out.delimiter = DelimiterChar(delim, "\x01");
  }
  // Athena's default write compression is GZIP; a table may say otherwise.
  std::string compression = ToLower(Param(table_params, "write.compression"));
  if (compression.empty()) compression = ToLower(Param(table_params, "parquet.compression"));
  if (compression.empty()) compression = ToLower(Param(table_params, "compressionType"));
  if (!compression.empty()) out.compression = compression == "uncompressed" ? "none" : compression;
  return out;
}

std::string CopyOptions(const WriteFormat& format, std::string* extension) {
  const std::string& c = format.compression;
  switch (format.format) {
    case TableFormat::kParquet:
      *extension = "";
      return "FORMAT parquet, COMPRESSION " + SqlString(c == "none" ? "uncompressed" : c);
    case TableFormat::kJson:
      *extension = c == "gzip" ? ".gz" : (c == "zstd" ? ".zst" : "");
      return "FORMAT json, COMPRESSION " + SqlString(c);
    case TableFormat::kOpenCsv:
      *extension = c == "gzip" ? ".gz" : (c == "zstd" ? ".zst" : "");
      return "FORMAT csv, HEADER false, DELIMITER " + SqlString(format.delimiter) + ", QUOTE '\"', COMPRESSION " +
             SqlString(c);
    case TableFormat::kText:
      break;
  }
  *extension = c == "gzip" ? ".gz" : (c == "zstd" ? ".zst" : "");
  return "FORMAT csv, HEADER false, DELIMITER " + SqlString(format.delimiter) +
         ", QUOTE '', ESCAPE '', NULLSTR '\\N', COMPRESSION " + SqlString(c);
}

}  // namespace xacct::sql
