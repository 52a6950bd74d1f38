// What the benchmarks report about their own process: its resident memory.
#pragma once

#include <chrono>
#include <cstdio>

namespace kith::bench {

// The process's resident set (VmRSS in /proc/self/status), in KiB; 0 if unreadable.
inline long VmRssKiB() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
  }
  std::fclose(f);
  return kib;
}

}  // namespace kith::bench
