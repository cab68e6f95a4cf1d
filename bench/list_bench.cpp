// One page of ListObjectsV2 over a bucket of 1,000,000 keys (target: ≤ 5 ms a page).
// Keys look like logs/2024/MM/DD/host-N/file-M.gz (10 months × 25 days × 40 hosts × 100 files), written in
// upload order (day by day, the hosts interleaved) so that one host's keys are spread over the table.
// The bucket is built once (about half a minute) into $XACCT_BENCH_DIR or the temp directory and reused.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "store/object_index.h"

namespace xacct::store {
namespace {

namespace fs = std::filesystem;

constexpr int kMonths = 10, kDays = 25, kHosts = 40, kFiles = 100;
constexpr std::string_view kBucket = "bench-logs";

std::string Key(int month, int day, int host, int file) {
  char key[64];
  std::snprintf(key, sizeof key, "logs/2024/%02d/%02d/host-%d/file-%d.gz", month, day, host, file);
  return key;
}

void Die(const std::string& what) {
  std::fprintf(stderr, "list_bench: %s\n", what.c_str());
  std::exit(1);
}

// Fills the bucket in transactions of one day of uploads (40,000 keys) each.
void Build(Database& db) {
  const auto start = std::chrono::steady_clock::now();
  int64_t n = 0;
  for (int month = 1; month <= kMonths; ++month) {
    for (int day = 1; day <= kDays; ++day) {
      auto s = db.Write([&](Transaction& tx) -> Status {
        for (int file = 0; file < kFiles; ++file) {
          for (int host = 0; host < kHosts; ++host, ++n) {
            char blob[33];
            std::snprintf(blob, sizeof blob, "%032llx", static_cast<unsigned long long>(n));
            ObjectVersion v{.bucket = std::string(kBucket),
                            .key = Key(month, day, host, file),
                            .version_id = "null",
                            .size = 4096,
                            .etag = "\"0123456789abcdef0123456789abcdef\"",
                            .last_modified_ms = 1704067200000 + n,
                            .blob_id = blob,
                            .meta = R"({"ContentType":"application/gzip"})"};
            if (auto put = ObjectIndex::Put(tx, std::move(v)); !put) return put.error();
          }
        }
        return Ok{};
      });
      if (!s) Die("build: " + s.error().message);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "list_bench: built %lld keys in %.1f s\n", static_cast<long long>(n), seconds);
}

Database& Bucket() {
  static std::unique_ptr<Database> db = [] {
    const char* env = std::getenv("XACCT_BENCH_DIR");
    const fs::path dir = env != nullptr ? fs::path(env) : fs::temp_directory_path() / "xacct-list-bench-1m-v1";
    const bool ready = fs::exists(dir / "ready");
    if (!ready) fs::remove_all(dir);
    auto opened = Database::Open(dir, Durability::kRelaxed);
    if (!opened) Die(opened.error().message);
    if (!ready) {
      Build(**opened);
      std::ofstream(dir / "ready") << "1000000 keys\n";
    }
    return std::move(*opened);
  }();
  return *db;
}

// One page of List with `options`; checks the page's shape once so that a broken listing cannot look fast.
void ListPage(benchmark::State& state, ListOptions options, size_t entries, size_t prefixes) {
  Database& db = Bucket();
  for (auto _ : state) {
    auto page = ObjectIndex::List(db, kBucket, options);
    if (!page || page->entries.size() != entries || page->common_prefixes.size() != prefixes) {
      state.SkipWithError("unexpected page");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  state.counters["entries"] = static_cast<double>(entries);
  state.counters["common_prefixes"] = static_cast<double>(prefixes);
}

void Register() {
  struct Case {
    const char* name;
    ListOptions options;
    size_t entries, prefixes;
  };
  const Case cases[] = {
      // The months: 10 common prefixes, each past 100,000 keys.
      {"prefix=logs/2024/,delimiter=/", {.prefix = "logs/2024/", .delimiter = "/"}, 0, kMonths},
      // The second page of the same listing, after a common prefix.
      {"prefix=logs/2024/,delimiter=/,start_after=logs/2024/05/",
       {.prefix = "logs/2024/", .delimiter = "/", .start_after = "logs/2024/05/"},
       0,
       kMonths - 5},
      // One day's hosts: 40 common prefixes.
      {"prefix=logs/2024/03/15/,delimiter=/", {.prefix = "logs/2024/03/15/", .delimiter = "/"}, 0, kHosts},
      // One day's keys: a full page of 1000 of its 4000.
      {"prefix=logs/2024/03/15/ (1000 keys)", {.prefix = "logs/2024/03/15/"}, 1000, 0},
      // One host's day: 100 keys.
      {"prefix=logs/2024/03/15/host-7/,delimiter=/",
       {.prefix = "logs/2024/03/15/host-7/", .delimiter = "/"},
       kFiles,
       0},
      // The worst case for seeking: every key its own common prefix, 1000 seeks for a page.
      {"prefix=logs/2024/,delimiter=.gz (1000 common prefixes)", {.prefix = "logs/2024/", .delimiter = ".gz"}, 0, 1000},
  };
  for (const auto& c : cases) {
    benchmark::RegisterBenchmark((std::string("ListObjectsV2/") + c.name).c_str(), ListPage, c.options, c.entries,
                                 c.prefixes)
        ->Unit(benchmark::kMicrosecond)
        ->Repetitions(9)
        ->ReportAggregatesOnly(true);
  }
}

}  // namespace
}  // namespace xacct::store

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  xacct::store::Register();
  xacct::store::Bucket();  // build (or open) the bucket before any timing
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
