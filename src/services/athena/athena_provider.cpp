#include "services/athena/athena_provider.h"

namespace xacct::services {

const HandlerTable& AthenaHandlers() {
  static const HandlerTable table{};
  return table;
}

}  // namespace xacct::services
