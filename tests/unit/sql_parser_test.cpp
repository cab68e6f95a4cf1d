// Runs every tests/sql/parser/*.test file: sqllogictest-style cases for the Athena statement parser.
//
//   # where the expectation comes from (an Athena documentation page, a reported Athena message)
//   parse                               error
//   <one statement, any lines>          <one statement, any lines>
//   ----                                ----
//   <StatementJsonLine of the result>   <the error message, exactly>
//
// A blank line ends a case. Hive messages ("FAILED: ...") must carry code ParseError, Trino's
// InvalidRequestException. With XACCT_UPDATE_PARSER_TESTS=1 the files are rewritten with the actual results
// (review the diff before keeping it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sql/statement.h"

namespace {

namespace fs = std::filesystem;

struct Case {
  std::string file;
  int line = 0;  // of the "parse"/"error" line
  bool expect_error = false;
  std::string sql;
  std::string expected;
};

std::vector<std::string> ReadLines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

fs::path ParserDir() { return fs::path(XACCT_SOURCE_DIR) / "tests" / "sql" / "parser"; }

std::vector<fs::path> TestFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(ParserDir())) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  for (const auto& path : TestFiles()) {
    const auto lines = ReadLines(path);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i] != "parse" && lines[i] != "error") continue;
      Case c;
      c.file = path.filename().string();
      c.line = static_cast<int>(i + 1);
      c.expect_error = lines[i] == "error";
      size_t j = i + 1;
      for (; j < lines.size() && lines[j] != "----"; ++j) c.sql += (c.sql.empty() ? "" : "\n") + lines[j];
      for (++j; j < lines.size() && !lines[j].empty(); ++j) c.expected += (c.expected.empty() ? "" : "\n") + lines[j];
      cases.push_back(std::move(c));
      i = j;
    }
  }
  return cases;
}

struct Outcome {
  bool error = false;
  std::string text;
  std::string code;
};

Outcome ParseCase(const std::string& sql) {
  auto parsed = xacct::sql::ParseStatement(sql);
  if (parsed) return {false, xacct::sql::StatementJsonLine(*parsed), ""};
  return {true, parsed.error().message, parsed.error().code};
}

class ParserCase : public testing::TestWithParam<Case> {};

TEST_P(ParserCase, MatchesExpectation) {
  const Case& c = GetParam();
  SCOPED_TRACE(c.file + ":" + std::to_string(c.line));
  const Outcome got = ParseCase(c.sql);
  EXPECT_EQ(got.error, c.expect_error) << "SQL:\n" << c.sql << "\ngot: " << got.text;
  EXPECT_EQ(got.text, c.expected) << "SQL:\n" << c.sql;
  if (got.error) {
    const bool hive = got.text.rfind("FAILED: ", 0) == 0;
    EXPECT_EQ(got.code, hive ? "ParseError" : "InvalidRequestException");
  }
}

std::string CaseName(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.file.substr(0, info.param.file.size() - 5) + "_" + std::to_string(info.param.line);
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, ParserCase, testing::ValuesIn(LoadCases()), CaseName);

// Rewrites the expectations in place when asked to; otherwise checks there is something to run.
TEST(ParserFiles, ExistAndUpdateOnRequest) {
  ASSERT_FALSE(LoadCases().empty());
  if (std::getenv("XACCT_UPDATE_PARSER_TESTS") == nullptr) return;
  for (const auto& path : TestFiles()) {
    auto lines = ReadLines(path);
    std::vector<std::string> out;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i] != "parse" && lines[i] != "error") {
        out.push_back(lines[i]);
        continue;
      }
      const size_t header = out.size();
      out.push_back(lines[i]);
      std::string sql;
      size_t j = i + 1;
      for (; j < lines.size() && lines[j] != "----"; ++j) {
        sql += (sql.empty() ? "" : "\n") + lines[j];
        out.push_back(lines[j]);
      }
      const Outcome got = ParseCase(sql);
      out[header] = got.error ? "error" : "parse";
      out.push_back("----");
      out.push_back(got.text);
      for (++j; j < lines.size() && !lines[j].empty(); ++j) {
      }
      if (j < lines.size()) out.push_back("");
      i = j;
    }
    std::ofstream(path) << [&] {
      std::string s;
      for (const auto& l : out) s += l + "\n";
      return s;
    }();
  }
}

}  // namespace
