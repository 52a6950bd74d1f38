// What the benchmarks report about their own process: its resident memory.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace kith::bench {

// A "Name: N kB" line of /proc/self/status, in KiB; 0 if unreadable.
inline long StatusKiB(const char* name) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  const std::string format = std::string(name) + ": %ld kB";
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, format.c_str(), &kib) == 1) break;
  }
  std::fclose(f);
  return kib;
}

// The process's resident set (VmRSS), in KiB; 0 if unreadable.
inline long VmRssKiB() { return StatusKiB("VmRSS"); }

// The process's peak resident set (VmHWM), in KiB; 0 if unreadable.
inline long PeakRssKiB() { return StatusKiB("VmHWM"); }

}  // namespace kith::bench
