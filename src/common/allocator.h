// Process-wide allocator settings for a long-running xacct process.
#pragma once

namespace xacct {

//! Lets glibc's heap grow in 16 MiB steps (M_TOP_PAD) instead of 128 KiB ones. Executions and queries allocate
//! in bursts (a Map of 10,000 items makes ~40,000 history events); with the default, the heap is grown and
//! trimmed again on every burst and each new page faults in, which measured as 60% of a 10,000-item Map
//! (bench/README.md, "Step Functions"). Costs at most 16 MiB of slack. Call once, early in main.
void TuneAllocator();

}  // namespace xacct
