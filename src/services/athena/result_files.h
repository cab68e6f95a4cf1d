// Athena's query result files (Amazon Athena User Guide, "Work with query results and recent queries": a
// query's results are <id>.csv, DDL output <id>.txt, each with a <id>.<ext>.metadata beside it) and the
// pages GetQueryResults reads from them. The data files are byte for byte Athena's; the .metadata is xacct's
// own JSON instead of Athena's undocumented binary (docs/athena-results.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/result.h"
#include "services/athena/query_exec.h"

namespace xacct::services::athena {

//! The two files of a finished query, as bytes.
struct RenderedResult {
  std::string extension;  //!< "csv" or "txt"
  std::string data;       //!< <id>.csv / <id>.txt
  std::string metadata;   //!< <id>.<ext>.metadata (xacct's JSON)
};

//! Athena's files for what a statement produced: a csv (a quoted header row, then every value double-quoted
//! with '"' doubled, NULL an empty unquoted field, each line ending "\n") or a txt (fields joined by a tab,
//! rows by "\n", no header, no final newline).
RenderedResult RenderResult(const std::string& query_id, const Outcome& outcome);

//! ResultSetMetadata.ColumnInfo entries, from a .metadata document.
json::array ColumnInfoOf(const json::object& metadata);

//! One page of GetQueryResults: rows as Athena's Row objects, and the byte offset the next page starts at
//! (nullopt when this page ended the file and was not full).
struct ResultPage {
  json::array rows;
  std::optional<uint64_t> next_offset;
};

//! Reads at most `max_rows` rows of the data file `path` (empty: an empty file) from byte `offset`, in the
//! format the metadata names; only `offset` 0 of a csv starts with its header row. Only the rows of the page
//! are read, so paging through a large result is linear in its size.
Result<ResultPage> ReadResultPage(const std::filesystem::path& path, const json::object& metadata, uint64_t offset,
                                  size_t max_rows);

//! GetQueryResults' NextToken for a byte offset, and back (nullopt for a token xacct did not issue).
std::string PageToken(uint64_t offset);
std::optional<uint64_t> ParsePageToken(std::string_view token);

}  // namespace xacct::services::athena
