#include "common/allocator.h"

#include <malloc.h>

namespace xacct {

void TuneAllocator() {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  mallopt(M_TOP_PAD, 16 << 20);
#endif
}

}  // namespace xacct
