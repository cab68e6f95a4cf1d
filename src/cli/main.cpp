// The xacct command line.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/coverage.h"
#include "cli/serve.h"
#include "cli/simulate.h"
#include "sql/duckdb_library.h"
#include "sql/engine.h"

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

// `xacct duckdb SQL`: the rows, tab-separated; --types prints the columns with Athena's type names first,
// --tables prints the tables a SELECT reads (catalog.schema.table, one per line) instead of running it.
int RunDuckDb(const std::string& sql, bool types, bool tables) {
  auto engine = xacct::sql::Engine::Open();
  if (!engine) {
    std::cerr << "xacct: " << engine.error().message << "\n";
    return 1;
  }
  if (tables) {
    auto refs = (*engine)->TableReferences(sql);
    if (!refs) {
      std::cerr << "xacct: " << refs.error().message << "\n";
      return 1;
    }
    for (const auto& t : *refs) std::cout << t.catalog << "." << t.schema << "." << t.table << "\n";
    return 0;
  }
  auto session = (*engine)->Connect();
  if (!session) {
    std::cerr << "xacct: " << session.error().message << "\n";
    return 1;
  }
  auto result = (*session)->Query(sql);
  if (!result) {
    std::cerr << "xacct: " << result.error().message << "\n";
    return 1;
  }
  if (types) {
    for (size_t i = 0; i < result->columns.size(); ++i) {
      const auto& c = result->columns[i];
      std::cout << (i ? "\t" : "") << c.name << ":" << c.type;
      if (c.type == "decimal") std::cout << "(" << c.precision << "," << c.scale << ")";
    }
    std::cout << "\n";
  }
  for (const auto& row : result->rows) {
    for (size_t i = 0; i < row.size(); ++i) std::cout << (i ? "\t" : "") << row[i].value_or("NULL");
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
  bool duckdb_types = false, duckdb_tables = false;
  duckdb->add_flag("--types", duckdb_types, "print the columns with Athena's type names first");
  duckdb->add_flag("--tables", duckdb_tables, "print the tables a SELECT reads instead of running it");

  auto* serve = app.add_subcommand("serve", "Serve every account's AWS APIs on one HTTP endpoint");
  xacct::cli::ServeOptions serve_options;
  serve->add_option("--port", serve_options.port, "TCP port (0: any free port; the ready line says which)")
      ->capture_default_str();
  serve->add_option("--bind", serve_options.bind, "address to listen on")->capture_default_str();
  serve->add_option("--data-dir", serve_options.data_dir, "where metadata, objects and the audit log live")
      ->capture_default_str();
  serve->add_option("--config", serve_options.config_path,
                    "YAML accounts/organization configuration (default: the built-in one, config/default.yaml)");
  serve->add_option("--threads", serve_options.threads, "worker threads (default: one per core)");
  serve->add_option("--query-threads", serve_options.query_threads, "Athena queries that run at once")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  serve->add_flag("--relaxed-durability", serve_options.relaxed_durability,
                  "acknowledge writes before they are fsync'd (a crash may lose recent writes, never half an object)");
  serve->add_flag("--explain-denials", serve_options.explain_denials,
                  "append xacct's explanation to AccessDenied messages on the wire");

  auto* accounts = app.add_subcommand("accounts", "List the configured accounts");
  std::string accounts_config;
  bool aws_config = false;
  std::string endpoint;
  accounts->add_option("--config", accounts_config, "YAML configuration (default: the built-in one)");
  accounts->add_flag("--aws-config", aws_config, "print an AWS credentials-file block, one profile per account");
  accounts->add_option("--endpoint-url", endpoint, "add endpoint_url to each profile");

  auto* explain = app.add_subcommand("explain", "Explain the authorization decisions of one request");
  std::string request_id;
  std::string explain_dir = "./.xacct";
  explain->add_option("REQUEST-ID", request_id, "the request id a client printed")->required();
  explain->add_option("--data-dir", explain_dir, "the server's data directory")->capture_default_str();

  auto* coverage = app.add_subcommand("coverage", "Write docs/coverage/<service>.md from the models");
  std::string coverage_dir = "docs/coverage";
  bool coverage_check = false;
  coverage->add_option("DIR", coverage_dir, "output directory")->capture_default_str();
  coverage->add_flag("--check", coverage_check, "fail if the files differ from what would be written");

  CLI11_PARSE(app, argc, argv);
  if (coverage->parsed()) return xacct::cli::RunCoverage(coverage_dir, coverage_check);
  if (serve->parsed()) return xacct::cli::RunServe(serve_options);
  if (accounts->parsed()) return xacct::cli::RunAccounts(accounts_config, aws_config, endpoint);
  if (explain->parsed()) return xacct::cli::RunExplain(explain_dir, request_id);
  if (simulate->parsed()) return RunSimulate(cases_path, check);
  if (duckdb->parsed()) return RunDuckDb(sql, duckdb_types, duckdb_tables);
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
