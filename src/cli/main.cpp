// The xacct command line.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/simulate.h"
#include "sql/duckdb_library.h"

namespace {

constexpr const char* kVersion = "0.1.0";

bool ReadAll(const std::string& path, std::string* out) {
  if (path == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    *out = s.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

int RunSimulate(const std::string& path, bool check) {
  std::string input;
  if (!ReadAll(path, &input)) {
    std::cerr << "xacct: cannot read " << path << "\n";
    return 2;
  }
  xacct::cli::SimulationSummary summary;
  auto out = xacct::cli::Simulate(input, &summary);
  if (!out) {
    std::cerr << "xacct: " << path << ": " << out.error().message << "\n";
    return 2;
  }
  if (check) {
    // Report only the cases whose decision differs from "expected", then a summary line.
    for (const auto& c : *out) {
      const auto& o = c.as_object();
      const auto* expected = o.if_contains("expected");
      const auto* decision = o.if_contains("decision");
      const auto* error = o.if_contains("error");
      const auto* name = o.if_contains("name");
      const std::string n = name != nullptr ? std::string(xacct::JsonString(*name)) : "?";
      if (error != nullptr) {
        std::cout << "ERROR    " << n << ": " << xacct::JsonString(*error) << "\n";
      } else if (expected != nullptr && decision != nullptr && *expected != *decision) {
        std::cout << "MISMATCH " << n << ": expected " << xacct::JsonString(*expected) << ", got "
                  << xacct::JsonString(*decision) << "\n         " << xacct::JsonString(o.at("explanation")) << "\n";
      }
    }
    std::cout << summary.cases << " cases: " << (summary.checked - summary.mismatched) << " as expected, "
              << summary.mismatched << " mismatched, " << summary.errors << " errors\n";
    return summary.mismatched == 0 && summary.errors == 0 ? 0 : 1;
  }
  std::cout << xacct::PrettyJson(*out);
  return 0;
}

int RunDuckDb(const std::string& sql) {
  auto lib = xacct::sql::DuckDbLibrary::Load();
  if (!lib) {
    std::cerr << "xacct: " << lib.error().message << "\n";
    return 1;
  }
  auto rows = xacct::sql::QueryInMemory(**lib, sql);
  if (!rows) {
    std::cerr << "xacct: " << rows.error().message << "\n";
    return 1;
  }
  for (const auto& row : *rows) {
    for (size_t i = 0; i < row.size(); ++i) std::cout << (i ? "\t" : "") << row[i];
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"xacct: a local, multi-account AWS data lake"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);

  auto* iam = app.add_subcommand("iam", "IAM tools");
  iam->require_subcommand(1);
  auto* simulate =
      iam->add_subcommand("simulate",
                          "Decide a JSON array of authorization checks (shared/iam-case-format.md) and print it back "
                          "with \"decision\" and \"explanation\" added to each case");
  std::string cases_path;
  bool check = false;
  simulate->add_option("FILE", cases_path, "case file, or - for standard input")->required();
  simulate->add_flag("--check", check,
                     "print only the cases whose decision differs from \"expected\"; exit 1 if any does");

  auto* duckdb = app.add_subcommand("duckdb", "Run one SQL statement on the bundled DuckDB (in memory)");
  std::string sql;
  duckdb->add_option("SQL", sql, "the statement")->required();

  CLI11_PARSE(app, argc, argv);
  if (simulate->parsed()) return RunSimulate(cases_path, check);
  if (duckdb->parsed()) return RunDuckDb(sql);
  return 0;
}

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "xacct: internal error: " << e.what() << "\n";
    return 70;  // EX_SOFTWARE
  }
}
