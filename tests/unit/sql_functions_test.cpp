// Runs every tests/sql/functions/*.test file: Trino SQL translated by TranslateTrinoSql and run on a real
// sql::Engine (with TrinoCompatibilityMacros installed), rows compared with what Trino answers.
//
//   # where the expectation comes from (a Trino documentation page)
//   query                               error
//   <Trino SQL, any lines>              <Trino SQL, any lines>
//   ----                                ----
//   <rows: tab-separated, NULL>         <text the translation or query error contains>
//
// A blank line ends a case.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sql/engine.h"
#include "sql/trino_functions.h"

namespace {

namespace fs = std::filesystem;

struct Case {
  std::string file;
  int line = 0;  // of the "query"/"error" line
  bool expect_error = false;
  std::string sql;
  std::vector<std::string> expected;
};

std::vector<Case> LoadCases() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(XACCT_SOURCE_DIR) / "tests" / "sql" / "functions")) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> cases;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i] != "query" && lines[i] != "error") continue;
      Case c{path.filename().string(), static_cast<int>(i + 1), lines[i] == "error", "", {}};
      size_t j = i + 1;
      for (; j < lines.size() && lines[j] != "----"; ++j) c.sql += (c.sql.empty() ? "" : "\n") + lines[j];
      for (++j; j < lines.size() && !lines[j].empty(); ++j) c.expected.push_back(lines[j]);
      cases.push_back(std::move(c));
      i = j;
    }
  }
  return cases;
}

std::string RowText(const std::vector<std::optional<std::string>>& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) out += (i > 0 ? "\t" : "") + row[i].value_or("NULL");
  return out;
}

TEST(SqlFunctions, CasesInTestFilesMatchTrino) {
  const auto cases = LoadCases();
  ASSERT_GE(cases.size(), 40u);
  auto engine = xacct::sql::Engine::Open();
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  auto session = (*engine)->Connect();
  ASSERT_TRUE(session.ok()) << session.error().message;
  for (const auto& macro : xacct::sql::TrinoCompatibilityMacros()) {
    auto s = (*session)->Exec(macro);
    ASSERT_TRUE(s.ok()) << macro << ": " << s.error().message;
  }
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + "\n" + c.sql);
    auto translated = xacct::sql::TranslateTrinoSql(c.sql);
    if (c.expect_error) {
      std::string message;
      if (!translated) {
        message = translated.error().message;
      } else if (auto r = (*session)->Query(*translated); !r) {
        message = r.error().message;
      }
      ASSERT_EQ(c.expected.size(), 1u);
      EXPECT_NE(message.find(c.expected[0]), std::string::npos) << "message: " << message;
      continue;
    }
    ASSERT_TRUE(translated.ok()) << translated.error().message;
    auto result = (*session)->Query(*translated);
    if (!result) {
      ADD_FAILURE() << "translated: " << *translated << "\nerror: " << result.error().message;
      continue;
    }
    std::vector<std::string> rows;
    for (const auto& row : result->rows) rows.push_back(RowText(row));
    EXPECT_EQ(rows, c.expected) << "translated: " << *translated;
  }
}

// Everything but the rewritten calls survives byte for byte: comments, spacing, literals, quoted names.
TEST(SqlFunctions, TranslationKeepsEverythingElse) {
  const std::string sql =
      "SELECT  'date_parse(x, ''%i'')' AS \"regexp_like\", -- arbitrary(x)\n"
      "  /* split(a, b) */ cardinality(ARRAY[1,2])  FROM t";
  auto out = xacct::sql::TranslateTrinoSql(sql);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out,
            "SELECT  'date_parse(x, ''%i'')' AS \"regexp_like\", -- arbitrary(x)\n"
            "  /* split(a, b) */ xacct_cardinality(ARRAY[1,2])  FROM t");
}

TEST(SqlFunctions, NonLiteralFormatFailsClearly) {
  auto out = xacct::sql::TranslateTrinoSql("SELECT date_parse(s, fmt) FROM t");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "InvalidRequestException");
  EXPECT_EQ(out.error().message, "xacct cannot run date_parse() on its engine: the format must be a string literal");
}

}  // namespace
