// `xacct serve`, `xacct accounts` and `xacct explain`: the commands around the server.
#pragma once

#include <cstdint>
#include <string>

namespace xacct::cli {

struct ServeOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 4566;
  std::string data_dir = "./.xacct";
  std::string config_path;  //!< empty: the built-in default
  bool explain_denials = false;
  unsigned threads = 0;
  unsigned query_threads = 2;  //!< Athena's background query pool
  //! Skip the fsyncs (metadata synchronous=NORMAL, blobs not synced): faster, loses recent writes on power loss.
  bool relaxed_durability = false;
};

int RunServe(const ServeOptions& options);
int RunAccounts(const std::string& config_path, bool aws_config, const std::string& endpoint);
int RunExplain(const std::string& data_dir, const std::string& request_id);

}  // namespace xacct::cli
