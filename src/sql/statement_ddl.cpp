// Hive DDL as Athena accepts it: CREATE [EXTERNAL] TABLE
// (https://docs.aws.amazon.com/athena/latest/ug/create-table.html, data types from
// https://docs.aws.amazon.com/athena/latest/ug/data-types.html), ALTER TABLE ADD/DROP PARTITION, SET LOCATION,
// SET TBLPROPERTIES (alter-table-*.html), SHOW ... (show-*.html) and DESCRIBE (describe-table.html).
// Clauses must come in the documented order, as in Hive: a clause out of place is "missing EOF at".
#include <algorithm>
#include <array>

#include "sql/statement_parser.h"

namespace xacct::sql::internal {

namespace {

Status Fail(AwsError e) { return Status(std::move(e)); }

Result<std::string> ParseNumberText(Cursor& c, std::string_view rule) {
  if (c.Peek().kind != TokenKind::kNumber) return c.HiveMismatch("Number", rule);
  return std::string(c.Next().text);
}

// Nesting deeper than this is refused rather than risking the stack on hostile input.
constexpr int kMaxTypeDepth = 64;

// Hive's type grammar; the text is normalized to lower case without spaces, INTEGER as int.
Result<std::string> ParseType(Cursor& c, int depth = 0) {
  constexpr std::string_view kRule = "column type";
  if (c.Peek().kind != TokenKind::kWord || depth > kMaxTypeDepth) return c.NoViable(kRule);
  const std::string name = ToLower(c.Peek().text);
  static constexpr std::array<std::string_view, 11> kSimple = {
      "tinyint", "smallint", "int", "bigint", "boolean", "float", "string", "binary", "date", "timestamp", "real"};
  if (std::find(kSimple.begin(), kSimple.end(), name) != kSimple.end()) {
    c.Next();
    return name;
  }
  if (name == "integer") {
    c.Next();
    return std::string("int");
  }
  if (name == "double") {
    c.Next();
    c.AcceptWord("PRECISION");
    return name;
  }
  if (name == "decimal" || name == "varchar" || name == "char") {
    c.Next();
    if (!c.IsSymbol("(")) {
      if (name != "decimal") return c.HiveMismatch("(", kRule);
      return name;
    }
    c.Next();
    auto precision = ParseNumberText(c, kRule);
    if (!precision) return precision.error();
    std::string out = name + "(" + *precision;
    if (name == "decimal" && c.AcceptSymbol(",")) {
      auto scale = ParseNumberText(c, kRule);
      if (!scale) return scale.error();
      out += "," + *scale;
    }
    if (!c.AcceptSymbol(")")) return c.HiveMismatch(")", kRule);
    return out + ")";
  }
  const bool list = name == "array", map = name == "map", record = name == "struct", uni = name == "uniontype";
  if (!list && !map && !record && !uni) return c.NoViable(kRule);
  const std::string rule = list ? "list type" : map ? "map type" : record ? "struct type" : "union type";
  c.Next();
  if (!c.AcceptSymbol("<")) return c.HiveMismatch("<", rule);
  std::string out = name + "<";
  for (bool first = true;; first = false) {
    if (!first) {
      if (!c.AcceptSymbol(",")) break;
      out += ",";
    }
    if (record) {
      auto field = ParseIdentifier(c, rule);
      if (!field) return field.error();
      if (!c.AcceptSymbol(":")) return c.HiveMismatch(":", rule);
      out += *field + ":";
    }
    auto inner = ParseType(c, depth + 1);
    if (!inner) return inner.error();
    out += *inner;
    if (record && c.AcceptWord("COMMENT")) {
      auto comment = ParseHiveString(c, rule);
      if (!comment) return comment.error();
    }
    if (list) break;
    if (map && first && !c.IsSymbol(",")) return c.HiveMismatch(",", rule);
    if (map && !first) break;
  }
  if (!c.AcceptSymbol(">")) return c.HiveMismatch(">", rule);
  return out + ">";
}

// Iceberg partitioning (querying-iceberg-creating-tables.html): a bare column, or a transform such as
// day(ts) or bucket(16, id), kept as normalized text with an empty type.
Status ParseTransform(Cursor& c, ColumnDef& col) {
  if (!c.AcceptSymbol("(")) return Ok{};
  col.name += "(";
  do {
    if (col.name.back() != '(') col.name += ",";
    if (c.Peek().kind == TokenKind::kNumber) {
      col.name += std::string(c.Next().text);
      continue;
    }
    auto arg = ParseIdentifier(c, "partition transform");
    if (!arg) return Fail(arg.error());
    col.name += *arg;
  } while (c.AcceptSymbol(","));
  if (!c.AcceptSymbol(")")) return Fail(c.HiveMismatch(")", "partition transform"));
  col.name += ")";
  return Ok{};
}

// ( name type [COMMENT 'c'], ... ); in PARTITIONED BY of a non-external table also Iceberg transforms.
Status ParseColumns(Cursor& c, std::vector<ColumnDef>& out, bool iceberg_partitions = false) {
  if (!c.AcceptSymbol("(")) return Fail(c.HiveMismatch("(", "column list"));
  do {
    ColumnDef col;
    auto name = ParseIdentifier(c, "column specification");
    if (!name) return Fail(name.error());
    col.name = std::move(*name);
    if (iceberg_partitions && (c.IsSymbol("(") || c.IsSymbol(",") || c.IsSymbol(")"))) {
      if (auto s = ParseTransform(c, col); !s) return s;
      out.push_back(std::move(col));
      continue;
    }
    auto type = ParseType(c);
    if (!type) return Fail(type.error());
    col.type = std::move(*type);
    if (c.AcceptWord("COMMENT")) {
      auto comment = ParseHiveString(c, "column specification");
      if (!comment) return Fail(comment.error());
      col.comment = std::move(*comment);
    }
    out.push_back(std::move(col));
  } while (c.AcceptSymbol(","));
  if (!c.AcceptSymbol(")")) return Fail(c.HiveMismatch(")", "column list"));
  return Ok{};
}

// ROW FORMAT DELIMITED [FIELDS TERMINATED BY c [ESCAPED BY c]] [COLLECTION ITEMS TERMINATED BY c]
//   [MAP KEYS TERMINATED BY c] [LINES TERMINATED BY c] [NULL DEFINED AS c]
// ROW FORMAT SERDE 'class' [WITH SERDEPROPERTIES ('k' = 'v', ...)]
Result<RowFormat> ParseRowFormat(Cursor& c) {
  constexpr std::string_view kRule = "serde properties specification";
  if (!c.AcceptWord("FORMAT")) return c.HiveMismatch("FORMAT", "table row format specification");
  if (c.AcceptWord("SERDE")) {
    RowFormatSerde serde;
    auto cls = ParseHiveString(c, kRule);
    if (!cls) return cls.error();
    serde.serde_class = std::move(*cls);
    if (c.AcceptWord("WITH")) {
      if (!c.AcceptWord("SERDEPROPERTIES")) return c.HiveMismatch("SERDEPROPERTIES", kRule);
      auto props = ParseHiveProperties(c, kRule);
      if (!props) return props.error();
      serde.properties = std::move(*props);
    }
    return RowFormat(std::move(serde));
  }
  if (!c.AcceptWord("DELIMITED")) return c.NoViable("table row format specification");
  RowFormatDelimited d;
  auto terminated_by = [&](std::optional<std::string>& slot, std::string_view kw1, std::string_view kw2) -> Status {
    if (!kw1.empty() && !c.AcceptWord(kw1)) return Fail(c.HiveMismatch(kw1, kRule));
    if (!c.AcceptWord(kw2)) return Fail(c.HiveMismatch(kw2, kRule));
    auto value = ParseHiveString(c, kRule);
    if (!value) return Fail(value.error());
    slot = std::move(*value);
    return Ok{};
  };
  if (c.AcceptWord("FIELDS")) {
    if (auto s = terminated_by(d.fields_terminated, "TERMINATED", "BY"); !s) return s.error();
    if (c.AcceptWord("ESCAPED")) {
      if (auto s = terminated_by(d.escaped_by, "", "BY"); !s) return s.error();
    }
  }
  if (c.AcceptWord("COLLECTION")) {
    if (!c.AcceptWord("ITEMS")) return c.HiveMismatch("ITEMS", kRule);
    if (auto s = terminated_by(d.collection_items_terminated, "TERMINATED", "BY"); !s) return s.error();
  }
  if (c.AcceptWord("MAP")) {
    if (!c.AcceptWord("KEYS")) return c.HiveMismatch("KEYS", kRule);
    if (auto s = terminated_by(d.map_keys_terminated, "TERMINATED", "BY"); !s) return s.error();
  }
  if (c.AcceptWord("LINES")) {
    if (auto s = terminated_by(d.lines_terminated, "TERMINATED", "BY"); !s) return s.error();
  }
  if (c.AcceptWord("NULL")) {
    if (auto s = terminated_by(d.null_defined_as, "DEFINED", "AS"); !s) return s.error();
  }
  return RowFormat(std::move(d));
}

// STORED AS file_format | STORED AS INPUTFORMAT 'in' OUTPUTFORMAT 'out'
Status ParseStoredAs(Cursor& c, CreateExternalTable& t) {
  constexpr std::string_view kRule = "table file format specification";
  if (!c.AcceptWord("AS")) return Fail(c.HiveMismatch("AS", kRule));
  if (c.AcceptWord("INPUTFORMAT")) {
    auto in = ParseHiveString(c, kRule);
    if (!in) return Fail(in.error());
    if (!c.AcceptWord("OUTPUTFORMAT")) return Fail(c.HiveMismatch("OUTPUTFORMAT", kRule));
    auto out = ParseHiveString(c, kRule);
    if (!out) return Fail(out.error());
    t.input_format = std::move(*in);
    t.output_format = std::move(*out);
    return Ok{};
  }
  if (c.Peek().kind != TokenKind::kWord) return Fail(c.NoViable(kRule));
  const std::string format = ToUpper(c.Peek().text);
  static constexpr std::array<std::string_view, 9> kFormats = {
      "TEXTFILE", "SEQUENCEFILE", "RCFILE", "ORC", "ORCFILE", "PARQUET", "AVRO", "ION", "JSONFILE"};
  if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end()) {
    // Hive parses any identifier here and rejects it while analyzing the statement.
    AwsError e = AwsError::Client(std::string(kHiveCode),
                                  "FAILED: SemanticException Unrecognized file format in "
                                  "STORED AS clause: '" +
                                      format + "'");
    e.detail = "hive";
    return Fail(std::move(e));
  }
  c.Next();
  t.stored_as = format;
  return Ok{};
}

Status ParseClusteredBy(Cursor& c, CreateExternalTable& t) {
  constexpr std::string_view kRule = "table buckets specification";
  if (!c.AcceptWord("BY")) return Fail(c.HiveMismatch("BY", kRule));
  if (!c.AcceptSymbol("(")) return Fail(c.HiveMismatch("(", kRule));
  do {
    auto col = ParseIdentifier(c, kRule);
    if (!col) return Fail(col.error());
    t.clustered_by.push_back(std::move(*col));
  } while (c.AcceptSymbol(","));
  if (!c.AcceptSymbol(")")) return Fail(c.HiveMismatch(")", kRule));
  if (!c.AcceptWord("INTO")) return Fail(c.HiveMismatch("INTO", kRule));
  if (c.Peek().kind != TokenKind::kNumber || c.Peek().text.size() > 6 ||
      c.Peek().text.find_first_not_of("0123456789") != std::string_view::npos) {
    return Fail(c.HiveMismatch("Number", kRule));
  }
  t.num_buckets = std::stoi(std::string(c.Next().text));
  if (!c.AcceptWord("BUCKETS")) return Fail(c.HiveMismatch("BUCKETS", kRule));
  return Ok{};
}

}  // namespace

Result<Statement> ParseCreateTable(Cursor& c) {
  constexpr std::string_view kRule = "create table statement";
  c.Next();  // CREATE
  CreateExternalTable t;
  t.external = c.AcceptWord("EXTERNAL");
  if (!c.AcceptWord("TABLE")) return c.NoViable("ddl statement");
  if (c.IsWord("IF")) {
    c.Next();
    if (!c.AcceptWord("NOT")) return c.HiveMismatch("NOT", kRule);
    if (!c.AcceptWord("EXISTS")) return c.HiveMismatch("EXISTS", kRule);
    t.if_not_exists = true;
  }
  auto name = ParseQualifiedName(c, "table name");
  if (!name) return name.error();
  t.name = std::move(*name);
  if (c.IsSymbol("(")) {
    if (auto s = ParseColumns(c, t.columns); !s) return s.error();
  }
  if (c.AcceptWord("COMMENT")) {
    auto comment = ParseHiveString(c, kRule);
    if (!comment) return comment.error();
    t.comment = std::move(*comment);
  }
  if (c.AcceptWord("PARTITIONED")) {
    if (!c.AcceptWord("BY")) return c.HiveMismatch("BY", kRule);
    if (auto s = ParseColumns(c, t.partitioned_by, !t.external); !s) return s.error();
  }
  if (c.AcceptWord("CLUSTERED")) {
    if (auto s = ParseClusteredBy(c, t); !s) return s.error();
  }
  if (c.AcceptWord("ROW")) {
    auto row_format = ParseRowFormat(c);
    if (!row_format) return row_format.error();
    t.row_format = std::move(*row_format);
  }
  if (c.AcceptWord("STORED")) {
    if (auto s = ParseStoredAs(c, t); !s) return s.error();
  }
  if (c.AcceptWord("LOCATION")) {
    auto location = ParseHiveString(c, kRule);
    if (!location) return location.error();
    t.location = std::move(*location);
  }
  if (c.AcceptWord("TBLPROPERTIES")) {
    auto props = ParseHiveProperties(c, "table properties list");
    if (!props) return props.error();
    t.tblproperties = std::move(*props);
  }
  return Statement(std::move(t));
}

// ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (...) [LOCATION l] [PARTITION (...) [LOCATION l] ...]
// ALTER TABLE t DROP [IF EXISTS] PARTITION (...) [, PARTITION (...)]
// ALTER TABLE t [PARTITION (...)] SET LOCATION l
// ALTER TABLE t SET TBLPROPERTIES ('k' = 'v', ...)
Result<Statement> ParseAlterTable(Cursor& c) {
  constexpr std::string_view kRule = "alter table statement";
  c.Next();  // ALTER
  if (!c.AcceptWord("TABLE")) return c.NoViable("ddl statement");
  auto name = ParseQualifiedName(c, "table name");
  if (!name) return name.error();
  if (c.AcceptWord("ADD")) {
    if (c.IsWord("COLUMNS")) return Unsupported();
    AlterTableAddPartition out{std::move(*name), false, {}};
    if (c.IsWord("IF")) {
      c.Next();
      if (!c.AcceptWord("NOT")) return c.HiveMismatch("NOT", kRule);
      if (!c.AcceptWord("EXISTS")) return c.HiveMismatch("EXISTS", kRule);
      out.if_not_exists = true;
    }
    if (!c.IsWord("PARTITION")) return c.NoViable(kRule);
    while (c.AcceptWord("PARTITION")) {
      PartitionSpec p;
      auto spec = ParsePartitionSpec(c);
      if (!spec) return spec.error();
      p.spec = std::move(*spec);
      if (c.AcceptWord("LOCATION")) {
        auto location = ParseHiveString(c, kRule);
        if (!location) return location.error();
        p.location = std::move(*location);
      }
      out.partitions.push_back(std::move(p));
    }
    return Statement(std::move(out));
  }
  if (c.AcceptWord("DROP")) {
    AlterTableDropPartition out{std::move(*name), false, {}};
    if (c.IsWord("IF")) {
      c.Next();
      if (!c.AcceptWord("EXISTS")) return c.HiveMismatch("EXISTS", kRule);
      out.if_exists = true;
    }
    do {
      if (!c.AcceptWord("PARTITION")) return c.NoViable(kRule);
      auto spec = ParsePartitionSpec(c);
      if (!spec) return spec.error();
      out.partitions.push_back(PartitionSpec{std::move(*spec), std::nullopt});
    } while (c.AcceptSymbol(","));
    return Statement(std::move(out));
  }
  std::optional<Properties> partition;
  if (c.AcceptWord("PARTITION")) {
    auto spec = ParsePartitionSpec(c);
    if (!spec) return spec.error();
    partition = std::move(*spec);
  }
  if (c.AcceptWord("SET")) {
    if (c.AcceptWord("LOCATION")) {
      auto location = ParseHiveString(c, kRule);
      if (!location) return location.error();
      return Statement(AlterTableSetLocation{std::move(*name), std::move(partition), std::move(*location)});
    }
    if (!partition && c.AcceptWord("TBLPROPERTIES")) {
      auto props = ParseHiveProperties(c, "table properties list");
      if (!props) return props.error();
      return Statement(AlterTableSetTblProperties{std::move(*name), std::move(*props)});
    }
    if (c.IsWord("SERDEPROPERTIES") || c.IsWord("FILEFORMAT") || c.IsWord("SERDE")) return Unsupported();
    return c.NoViable(kRule);
  }
  for (std::string_view kw : {"RENAME", "REPLACE", "CHANGE", "CONVERT", "TOUCH"}) {
    if (c.IsWord(kw)) return Unsupported();
  }
  return c.NoViable(kRule);
}

// SHOW {DATABASES|SCHEMAS} [LIKE 'regex'] | SHOW TABLES [IN db] ['regex'] |
// SHOW COLUMNS {FROM|IN} t [{FROM|IN} db] | SHOW PARTITIONS t | SHOW CREATE TABLE t |
// SHOW TBLPROPERTIES t [('key')] | DESCRIBE [EXTENDED|FORMATTED] t [PARTITION (...)] [column]
Result<Statement> ParseShowOrDescribe(Cursor& c) {
  if (c.IsWord("DESCRIBE") || c.IsWord("DESC")) {
    c.Next();
    Describe d;
    if (c.AcceptWord("FORMATTED")) {
      d.formatted = true;
    } else if (c.AcceptWord("EXTENDED")) {
      d.extended = true;
    }
    auto name = ParseQualifiedName(c, "table name");
    if (!name) return name.error();
    d.table = std::move(*name);
    if (c.AcceptWord("PARTITION")) {
      auto spec = ParsePartitionSpec(c);
      if (!spec) return spec.error();
      d.partition = std::move(*spec);
    }
    if (!c.AtEnd()) {
      auto column = ParseIdentifier(c, "describe statement");
      if (!column) return column.error();
      d.column = std::move(*column);
      while (c.AcceptSymbol(".")) {
        auto field = ParseIdentifier(c, "describe statement");
        if (!field) return field.error();
        *d.column += "." + *field;
      }
    }
    return Statement(std::move(d));
  }
  c.Next();  // SHOW
  Show s;
  if (c.AcceptWord("DATABASES") || c.AcceptWord("SCHEMAS")) {
    s.kind = ShowKind::kDatabases;
    if (c.AcceptWord("LIKE")) {
      auto pattern = ParseHiveString(c, "show statement");
      if (!pattern) return pattern.error();
      s.pattern = std::move(*pattern);
    }
  } else if (c.AcceptWord("TABLES")) {
    s.kind = ShowKind::kTables;
    if (c.AcceptWord("IN") || c.AcceptWord("FROM")) {
      auto db = ParseIdentifier(c, "show statement");
      if (!db) return db.error();
      s.database = std::move(*db);
    }
    c.AcceptWord("LIKE");
    if (c.Peek().kind == TokenKind::kString) s.pattern = c.Next().value;
  } else if (c.AcceptWord("COLUMNS")) {
    s.kind = ShowKind::kColumns;
    if (!c.AcceptWord("FROM") && !c.AcceptWord("IN")) return c.NoViable("show statement");
    auto name = ParseQualifiedName(c, "table name");
    if (!name) return name.error();
    if (c.AcceptWord("FROM") || c.AcceptWord("IN")) {
      auto db = ParseIdentifier(c, "show statement");
      if (!db) return db.error();
      name->database = std::move(*db);
    }
    s.table = std::move(*name);
  } else if (c.AcceptWord("PARTITIONS") || (c.IsWord("CREATE") && c.IsWord("TABLE", 1)) ||
             c.AcceptWord("TBLPROPERTIES")) {
    const bool create = c.AcceptWord("CREATE");
    if (create) c.Next();  // TABLE
    s.kind = create                                   ? ShowKind::kCreateTable
             : ToUpper(c.Prev().text) == "PARTITIONS" ? ShowKind::kPartitions
                                                      : ShowKind::kTblProperties;
    auto name = ParseQualifiedName(c, "table name");
    if (!name) return name.error();
    s.table = std::move(*name);
    if (s.kind == ShowKind::kTblProperties && c.AcceptSymbol("(")) {
      auto key = ParseHiveString(c, "show statement");
      if (!key) return key.error();
      if (!c.AcceptSymbol(")")) return c.HiveMismatch(")", "show statement");
      s.property = std::move(*key);
    }
  } else {
    return c.NoViable("ddl statement");
  }
  return Statement(std::move(s));
}

}  // namespace xacct::sql::internal
