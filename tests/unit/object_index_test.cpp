// The S3 object index: versions and delete markers as S3 Versioning keeps them (User Guide "Retaining
// multiple versions of objects with S3 Versioning"), and listings as ListObjectsV2 / ListObjectVersions
// page them (API Reference), checked against a brute-force model on random byte keys.
#include "store/object_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

namespace xacct::store {
namespace {

namespace fs = std::filesystem;

class ObjectIndexTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("xacct-object-index-test-" + std::to_string(::getpid()) + "-" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }
  void Reopen() {
    db_.reset();
    auto db = Database::Open(dir_, Durability::kRelaxed);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
  }

  // Puts a version (a delete marker when `blob` is "marker") and returns what the index stored.
  std::pair<ObjectVersion, Released> Put(std::string_view key, std::string_view version_id, std::string blob = "",
                                         std::string_view bucket = "b") {
    ObjectVersion v;
    v.bucket = bucket;
    v.key = key;
    v.version_id = version_id;
    v.delete_marker = blob == "marker";
    if (!v.delete_marker) {
      v.blob_id = blob;
      v.size = blob.size();
      v.etag = "\"" + std::string(version_id) + "\"";
    }
    v.last_modified_ms = 1700000000000;
    v.meta = "{}";
    std::pair<ObjectVersion, Released> out;
    auto s = db_->Write([&](Transaction& tx) -> Status {
      auto put = ObjectIndex::Put(tx, v);
      if (!put) return put.error();
      out = std::move(*put);
      return Ok{};
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return out;
  }

  Released Remove(std::string_view key, std::string_view version_id, std::string_view bucket = "b") {
    Released out;
    auto s = db_->Write([&](Transaction& tx) -> Status {
      auto removed = ObjectIndex::Remove(tx, bucket, key, version_id);
      if (!removed) return removed.error();
      out = std::move(*removed);
      return Ok{};
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return out;
  }

  // "key@version" of every version, in ListObjectVersions order, with "*" on the latest.
  std::vector<std::string> Versions(std::string_view bucket = "b") {
    auto page = ObjectIndex::ListVersions(*db_, bucket, ListOptions{});
    EXPECT_TRUE(page.ok());
    std::vector<std::string> out;
    for (const auto& v : page->entries) {
      out.push_back(v.key + "@" + v.version_id + (v.delete_marker ? "(marker)" : "") + (v.latest ? "*" : ""));
    }
    return out;
  }

  std::vector<std::string> Keys(std::string_view bucket = "b") {
    auto page = ObjectIndex::List(*db_, bucket, ListOptions{});
    EXPECT_TRUE(page.ok());
    std::vector<std::string> out;
    for (const auto& v : page->entries) out.push_back(v.key + "@" + v.version_id);
    return out;
  }

  bool Referenced(std::string_view blob) { return *db_->BlobReferenced(blob); }

  fs::path dir_;
  std::unique_ptr<Database> db_;
};

using Strings = std::vector<std::string>;

TEST_F(ObjectIndexTest, PuttingTheNullVersionAgainReplacesItAndReleasesItsBlob) {
  const auto [first, none] = Put("k", "null", "blob-1");
  EXPECT_TRUE(first.latest);
  EXPECT_TRUE(none.blob_ids.empty());
  EXPECT_TRUE(Referenced("blob-1"));

  const auto [second, released] = Put("k", "null", "blob-2");
  EXPECT_EQ(released.blob_ids, Strings{"blob-1"});
  EXPECT_GT(second.seq, first.seq);
  EXPECT_FALSE(Referenced("blob-1"));
  EXPECT_TRUE(Referenced("blob-2"));
  EXPECT_EQ(Versions(), (Strings{"k@null*"}));
  EXPECT_EQ((*ObjectIndex::Latest(*db_, "b", "k"))->blob_id, "blob-2");
}

TEST_F(ObjectIndexTest, ReplacingTheNullVersionKeepsTheVersionsWrittenSince) {
  Put("k", "null", "blob-1");
  Put("k", "v2", "blob-2");                                        // versioning enabled
  const auto [null_again, released] = Put("k", "null", "blob-3");  // suspended: the null version moves to the top
  EXPECT_EQ(released.blob_ids, Strings{"blob-1"});
  EXPECT_EQ(Versions(), (Strings{"k@null*", "k@v2"}));
}

TEST_F(ObjectIndexTest, ADeleteMarkerHidesTheKeyFromListButNotFromListVersions) {
  Put("k", "v1", "blob-1");
  Put("k", "v2", "blob-2");
  Put("other", "v3", "blob-3");
  const auto [marker, released] = Put("k", "v4", "marker");
  EXPECT_TRUE(released.blob_ids.empty());
  EXPECT_TRUE(marker.delete_marker);
  EXPECT_EQ(Versions(), (Strings{"k@v4(marker)*", "k@v2", "k@v1", "other@v3*"}));
  EXPECT_EQ(Keys(), (Strings{"other@v3"}));
  auto latest = ObjectIndex::Latest(*db_, "b", "k");
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_TRUE((*latest)->delete_marker);
  EXPECT_EQ((*ObjectIndex::Version(*db_, "b", "k", "v1"))->blob_id, "blob-1");
  EXPECT_FALSE(ObjectIndex::Version(*db_, "b", "k", "v9")->has_value());
}

TEST_F(ObjectIndexTest, RemovingVersionsPromotesTheNextNewestAndReleasesBlobs) {
  Put("k", "v1", "blob-1");
  Put("k", "v2", "blob-2");
  Put("k", "v3", "marker");
  struct Case {
    const char* remove;
    Strings released;
    Strings versions_after;
    Strings keys_after;
  };
  const Case cases[] = {
      {"v3", {}, {"k@v2*", "k@v1"}, {"k@v2"}},  // removing the delete marker brings the object back
      {"v1", {"blob-1"}, {"k@v2*"}, {"k@v2"}},  // an older version: the latest stays
      {"v9", {}, {"k@v2*"}, {"k@v2"}},          // an unknown version: nothing happens
      {"v2", {"blob-2"}, {}, {}},               // the last version: the key is gone
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Remove("k", c.remove).blob_ids, c.released) << c.remove;
    EXPECT_EQ(Versions(), c.versions_after) << c.remove;
    EXPECT_EQ(Keys(), c.keys_after) << c.remove;
  }
  EXPECT_FALSE(ObjectIndex::Latest(*db_, "b", "k")->has_value());
  EXPECT_FALSE(*ObjectIndex::AnyVersion(*db_, "b"));
}

TEST_F(ObjectIndexTest, AnyVersionCountsDeleteMarkersAndKeepsBucketsApart) {
  Put("k", "v1", "marker", "marked");
  Put("k", "null", "blob", "ab");
  EXPECT_TRUE(*ObjectIndex::AnyVersion(*db_, "marked"));
  EXPECT_TRUE(*ObjectIndex::AnyVersion(*db_, "ab"));
  EXPECT_FALSE(*ObjectIndex::AnyVersion(*db_, "a"));
  EXPECT_TRUE(Keys("a").empty());
  EXPECT_EQ(Keys("ab"), Strings{"k@null"});
}

TEST_F(ObjectIndexTest, ABlobBelongsToOneVersionOnly) {
  Put("k", "v1", "blob-1");
  auto s = db_->Write([&](Transaction& tx) -> Status {
    ObjectVersion v{.bucket = "b", .key = "copy", .version_id = "v2", .blob_id = "blob-1"};
    auto put = ObjectIndex::Put(tx, v);
    return put ? Status(Ok{}) : Status(put.error());
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Keys(), Strings{"k@v1"});
  // Re-putting the null version with the blob it already has keeps the blob.
  Put("n", "null", "blob-n");
  EXPECT_TRUE(Put("n", "null", "blob-n").second.blob_ids.empty());
  EXPECT_TRUE(Referenced("blob-n"));
}

TEST_F(ObjectIndexTest, UpdateMetaChangesOnlyTheMetadataOfOneVersion) {
  const auto [v1, _] = Put("k", "v1", "blob-1");
  Put("k", "v2", "blob-2");
  ASSERT_TRUE(
      db_->Write([](Transaction& tx) { return ObjectIndex::UpdateMeta(tx, "b", "k", "v1", R"({"tags":{"a":"b"}})"); })
          .ok());
  auto after = *ObjectIndex::Version(*db_, "b", "k", "v1");
  EXPECT_EQ(after->meta, R"({"tags":{"a":"b"}})");
  EXPECT_EQ(after->seq, v1.seq);
  EXPECT_EQ(after->blob_id, "blob-1");
  EXPECT_FALSE(after->latest);
  EXPECT_EQ((*ObjectIndex::Version(*db_, "b", "k", "v2"))->meta, "{}");
  auto missing = db_->Write([](Transaction& tx) { return ObjectIndex::UpdateMeta(tx, "b", "k", "v9", "{}"); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "NoSuchKey");
}

TEST_F(ObjectIndexTest, TheIndexAndItsSequenceSurviveReopening) {
  Put("a", "v1", "blob-1");
  const auto [newest, _] = Put("a", "v2", "blob-2");
  Remove("a", "v2");  // the newest seq is gone, and must still not come back
  Reopen();
  EXPECT_EQ(Versions(), (Strings{"a@v1*"}));
  EXPECT_TRUE(Referenced("blob-1"));
  EXPECT_GT(Put("a", "v3", "blob-3").first.seq, newest.seq);
}

TEST_F(ObjectIndexTest, KeysAreBytesAndTheirNulsMatter) {
  const std::string with_nul("a\0b", 3);
  Put(with_nul, "null", "blob-1");
  Put("a", "null", "blob-2");
  Put("a\xff", "null", "blob-3");
  Put("a\x7f", "null", "blob-4");
  EXPECT_EQ(Keys(), (Strings{"a@null", with_nul + "@null", "a\x7f@null", "a\xff@null"}));
  EXPECT_EQ((*ObjectIndex::Latest(*db_, "b", with_nul))->blob_id, "blob-1");
  EXPECT_FALSE(ObjectIndex::Latest(*db_, "b", std::string("a\0", 2))->has_value());
}

TEST_F(ObjectIndexTest, MaxKeysZeroAnswersAnEmptyUntruncatedPage) {
  Put("k", "v1", "blob-1");
  for (auto* list : {&ObjectIndex::List, &ObjectIndex::ListVersions}) {
    auto page = list(*db_, "b", ListOptions{.max_keys = 0});
    ASSERT_TRUE(page.ok());
    EXPECT_TRUE(page->entries.empty());
    EXPECT_TRUE(page->common_prefixes.empty());
    EXPECT_FALSE(page->truncated);
  }
}

// Pages of a listing, as "key" entries and "key/" prefixes in the order S3 returns them, with the marker.
struct PageCase {
  const char* name;
  ListOptions options;
  Strings entries;
  Strings prefixes;
  bool truncated;
  std::string next_marker;
};

TEST_F(ObjectIndexTest, ListGroupsByDelimiterAndPagesAcrossCommonPrefixes) {
  for (const char* key : {"a.txt", "logs/2024/01/x", "logs/2024/01/y", "logs/2024/02/x", "logs/2025/01/x",
                          "logs/readme", "logs/", "z/"}) {
    Put(key, "null", std::string("blob-") + key);
  }
  const PageCase cases[] = {
      {"no delimiter: every key",
       {},
       {"a.txt", "logs/", "logs/2024/01/x", "logs/2024/01/y", "logs/2024/02/x", "logs/2025/01/x", "logs/readme", "z/"},
       {},
       false,
       ""},
      {"top level", {.delimiter = "/"}, {"a.txt"}, {"logs/", "z/"}, false, ""},
      {"under a prefix",
       {.prefix = "logs/", .delimiter = "/"},
       {"logs/", "logs/readme"},
       {"logs/2024/", "logs/2025/"},
       false,
       ""},
      {"max_keys counts prefixes",
       {.prefix = "logs/", .delimiter = "/", .max_keys = 2},
       {"logs/"},
       {"logs/2024/"},
       true,
       "logs/2024/"},
      {"after a returned prefix, its keys are skipped",
       {.prefix = "logs/", .delimiter = "/", .start_after = "logs/2024/", .max_keys = 2},
       {"logs/readme"},
       {"logs/2025/"},
       false,
       ""},
      {"after a key inside a group, the group's other keys still show",
       {.prefix = "logs/", .delimiter = "/", .start_after = "logs/2024/01/x"},
       {"logs/readme"},
       {"logs/2024/", "logs/2025/"},
       false,
       ""},
      {"a full page with nothing left is not truncated",
       {.prefix = "logs/2024/", .max_keys = 3},
       {"logs/2024/01/x", "logs/2024/01/y", "logs/2024/02/x"},
       {},
       false,
       ""},
      {"start_after before the prefix", {.prefix = "logs/2025", .start_after = "a"}, {"logs/2025/01/x"}, {}, false, ""},
      {"start_after past the prefix", {.prefix = "logs/", .start_after = "m"}, {}, {}, false, ""},
      {"a multi-byte delimiter", {.delimiter = "/20"}, {"a.txt", "logs/", "logs/readme", "z/"}, {"logs/20"}, false, ""},
  };
  for (const auto& c : cases) {
    auto page = ObjectIndex::List(*db_, "b", c.options);
    ASSERT_TRUE(page.ok()) << c.name;
    Strings entries;
    for (const auto& v : page->entries) entries.push_back(v.key);
    EXPECT_EQ(entries, c.entries) << c.name;
    EXPECT_EQ(page->common_prefixes, c.prefixes) << c.name;
    EXPECT_EQ(page->truncated, c.truncated) << c.name;
    EXPECT_EQ(page->next_marker, c.next_marker) << c.name;
  }
}

TEST_F(ObjectIndexTest, ListVersionsResumesWithinAKeyAfterTheVersionIdMarker) {
  Put("a", "a1", "blob-a1");
  Put("k", "k1", "blob-k1");
  Put("k", "k2", "marker");
  Put("k", "k3", "blob-k3");
  Put("z", "z1", "blob-z1");
  Strings seen;
  ListOptions options{.max_keys = 2};
  Strings markers;
  while (true) {
    auto page = ObjectIndex::ListVersions(*db_, "b", options);
    ASSERT_TRUE(page.ok());
    for (const auto& v : page->entries) seen.push_back(v.key + "@" + v.version_id);
    if (!page->truncated) break;
    markers.push_back(page->next_marker + "@" + page->next_version_id_marker);
    options.start_after = page->next_marker;
    options.version_id_marker = page->next_version_id_marker;
  }
  EXPECT_EQ(seen, (Strings{"a@a1", "k@k3", "k@k2", "k@k1", "z@z1"}));
  EXPECT_EQ(markers, (Strings{"k@k3", "k@k1"}));
}

// ---- Random keys against a brute-force model ----

// The alphabet of the random keys: S3's delimiter, ASCII, the bytes at the edges, multi-byte UTF-8.
const std::vector<std::string> kPieces = {
    "/", "a", "b", std::string(1, '\0'), "\x7f", "\xff", "\xc3\xa9", "\xe2\x82\xac", "ab", "/a/"};

std::string RandomString(std::mt19937& rng, int max_pieces) {
  std::string s;
  const int n = std::uniform_int_distribution<int>(1, max_pieces)(rng);
  for (int i = 0; i < n; ++i) s += kPieces[std::uniform_int_distribution<size_t>(0, kPieces.size() - 1)(rng)];
  return s;
}

struct ModelVersion {
  std::string key;
  std::string version_id;
  int64_t seq;
  bool delete_marker;
};

// What a listing over `rows` (in listing order) must return: entries as "key@version", prefixes as "P/".
struct Item {
  bool prefix;
  std::string text;        // key or common prefix
  std::string version_id;  // entries
  bool operator==(const Item&) const = default;
};

std::optional<std::string> ModelRollUp(const std::string& key, const ListOptions& o) {
  if (o.delimiter.empty() || !key.starts_with(o.prefix)) return std::nullopt;
  const size_t at = key.find(o.delimiter, o.prefix.size());
  if (at == std::string::npos) return std::nullopt;
  return key.substr(0, at + o.delimiter.size());
}

// Every item after the start position, with no paging; `rows` in listing order, each after the marker.
std::vector<Item> ModelItems(const std::vector<ModelVersion>& rows, const ListOptions& o) {
  std::vector<Item> items;
  for (const auto& r : rows) {
    if (!r.key.starts_with(o.prefix)) continue;
    auto group = ModelRollUp(r.key, o);
    Item item = group ? Item{true, *group, ""} : Item{false, r.key, r.version_id};
    if (item.prefix && item.text == o.start_after) continue;
    if (item.prefix && !items.empty() && items.back() == item) continue;
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<Item> ItemsOf(const ObjectListing& page) {
  // Entries and prefixes interleave in key order; no entry's key equals a prefix.
  std::vector<Item> items;
  for (const auto& v : page.entries) items.push_back(Item{false, v.key, v.version_id});
  for (const auto& p : page.common_prefixes) items.push_back(Item{true, p, ""});
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.text < b.text; });
  return items;
}

std::string Show(const std::vector<Item>& items) {
  std::string out;
  for (const auto& i : items) {
    for (const unsigned char c : i.text) {
      if (c >= 0x20 && c < 0x7f) {
        out += static_cast<char>(c);
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        out += hex;
      }
    }
    out += i.prefix ? "(P) " : "@" + i.version_id + " ";
  }
  return out;
}

class ObjectIndexModelTest : public ObjectIndexTest {
 protected:
  // Random versions (some delete markers) of random keys; returns all versions, oldest first.
  std::vector<ModelVersion> Populate(std::mt19937& rng, int keys) {
    std::set<std::string> names;
    while (static_cast<int>(names.size()) < keys) names.insert(RandomString(rng, 5));
    std::vector<std::string> order(names.begin(), names.end());
    std::vector<ModelVersion> all;
    int next = 0;
    for (int round = 0; round < 3; ++round) {
      std::shuffle(order.begin(), order.end(), rng);
      for (const auto& key : order) {
        if (round > 0 && rng() % 3 != 0) continue;
        const std::string vid = "v" + std::to_string(next++);
        const bool marker = round > 0 && rng() % 2 == 0;
        auto [v, _] = Put(key, vid, marker ? "marker" : "blob-" + vid);
        all.push_back(ModelVersion{key, vid, v.seq, marker});
      }
    }
    return all;
  }
};

TEST_F(ObjectIndexModelTest, ListPagesMatchTheModelOnRandomByteKeys) {
  std::mt19937 rng(20240601);
  const auto all = Populate(rng, 300);
  // The model's current, listable keys in bytewise order.
  std::map<std::string, ModelVersion> latest;
  for (const auto& v : all) latest[v.key] = v;
  std::vector<ModelVersion> current;
  for (const auto& [key, v] : latest) {
    if (!v.delete_marker) current.push_back(v);
  }
  const std::vector<std::string> delimiters = {"", "/", "\xff", "\xc3\xa9", "ab", std::string(1, '\0')};
  for (int trial = 0; trial < 300; ++trial) {
    ListOptions o;
    o.delimiter = delimiters[trial % delimiters.size()];
    if (rng() % 2) o.prefix = RandomString(rng, 2);
    if (rng() % 3 == 0) o.start_after = RandomString(rng, 4);
    o.max_keys = std::vector<int>{1, 2, 3, 7, 1000}[rng() % 5];
    const ListOptions first = o;
    std::vector<Item> seen;
    for (int pages = 0;; ++pages) {
      ASSERT_LT(pages, 1000) << "listing does not end";
      std::vector<ModelVersion> after;
      for (const auto& v : current) {
        if (o.start_after.empty() || v.key > o.start_after) after.push_back(v);
      }
      auto want = ModelItems(after, o);
      const bool more = static_cast<int>(want.size()) > o.max_keys;
      want.resize(std::min<size_t>(want.size(), static_cast<size_t>(o.max_keys)));
      auto page = ObjectIndex::List(*db_, "b", o);
      ASSERT_TRUE(page.ok());
      const auto got = ItemsOf(*page);
      ASSERT_EQ(Show(got), Show(want)) << "trial " << trial << " page " << pages;
      ASSERT_EQ(page->truncated, more) << "trial " << trial;
      seen.insert(seen.end(), got.begin(), got.end());
      if (!more) break;
      ASSERT_EQ(page->next_marker, want.back().text);
      o.start_after = page->next_marker;
    }
    // Paging returns what one unbounded page does.
    ListOptions whole = first;
    whole.max_keys = 1 << 30;
    auto one = ObjectIndex::List(*db_, "b", whole);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(Show(seen), Show(ItemsOf(*one))) << "trial " << trial;
  }
}

TEST_F(ObjectIndexModelTest, ListVersionsPagesMatchTheModelOnRandomByteKeys) {
  std::mt19937 rng(20240602);
  auto all = Populate(rng, 150);
  // Listing order: key ascending, newest first within a key.
  std::sort(all.begin(), all.end(), [](const ModelVersion& a, const ModelVersion& b) {
    return a.key != b.key ? a.key < b.key : a.seq > b.seq;
  });
  const std::vector<std::string> delimiters = {"", "/", "\xff", "a"};
  for (int trial = 0; trial < 200; ++trial) {
    ListOptions o;
    o.delimiter = delimiters[trial % delimiters.size()];
    if (rng() % 2) o.prefix = RandomString(rng, 2);
    o.max_keys = std::vector<int>{1, 2, 5, 1000}[rng() % 4];
    for (int pages = 0;; ++pages) {
      ASSERT_LT(pages, 2000) << "listing does not end";
      int64_t marker_seq = INT64_MAX;
      for (const auto& v : all) {
        if (v.key == o.start_after && v.version_id == o.version_id_marker) marker_seq = v.seq;
      }
      std::vector<ModelVersion> after;
      for (const auto& v : all) {
        const bool past = o.start_after.empty() || v.key > o.start_after ||
                          (v.key == o.start_after && !o.version_id_marker.empty() && v.seq < marker_seq);
        if (past) after.push_back(v);
      }
      auto want = ModelItems(after, o);
      const bool more = static_cast<int>(want.size()) > o.max_keys;
      want.resize(std::min<size_t>(want.size(), static_cast<size_t>(o.max_keys)));
      auto page = ObjectIndex::ListVersions(*db_, "b", o);
      ASSERT_TRUE(page.ok());
      // Within a key the order is newest first, which sorting by text would lose: keep the page's order.
      std::vector<Item> got;
      for (const auto& v : page->entries) got.push_back(Item{false, v.key, v.version_id});
      for (const auto& p : page->common_prefixes) got.push_back(Item{true, p, ""});
      std::stable_sort(got.begin(), got.end(), [](const Item& a, const Item& b) { return a.text < b.text; });
      ASSERT_EQ(Show(got), Show(want)) << "trial " << trial << " page " << pages;
      ASSERT_EQ(page->truncated, more);
      if (!more) break;
      ASSERT_EQ(page->next_marker, want.back().text);
      ASSERT_EQ(page->next_version_id_marker, want.back().version_id);
      o.start_after = page->next_marker;
      o.version_id_marker = page->next_version_id_marker;
    }
  }
}

}  // namespace
}  // namespace xacct::store
