#include "services/glue/glue_provider.h"

namespace xacct::services {

const HandlerTable& GlueHandlers() {
  static const HandlerTable table{};
  return table;
}

}  // namespace xacct::services
