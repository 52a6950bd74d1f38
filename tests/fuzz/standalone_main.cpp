// A driver for a libFuzzer target in the ordinary build (gcc; ASan and UBSan when the build is
// configured with KITH_SANITIZE, as CI's is), for targets whose libraries are too many to build
// a second time with clang in `make test` (tests/fuzz/tests.cmake): it replays every file of the
// seed corpus, then, for the seconds asked, feeds the target mutations of them (bytes flipped,
// inserted, erased, copied from another seed, or JSON tokens spliced in). No coverage guidance
// (`make fuzz FUZZ_TARGETS=api_body` runs this driver too, for FUZZ_SECONDS).
//   standalone_main CORPUS_DIR SECONDS [SEED]
// The input being run is kept in <the driver>.last-input: after a failure, it is the one.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::string Mutate(std::string s, const std::vector<std::string>& seeds, std::mt19937_64& rng) {
  static const char* const kTokens[] = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "0", "-1",
                                        "1e309", "18446744073709551616", "\"\"", "\"\\u0000\"", "\"\\ud800\"",
                                        "\xff", "\xc3\xa9", "[[[[[[[[", "{\"a\":", "\n", "\r\n", ",,", "\"x\":{}"};
  const int rounds = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < rounds; ++i) {
    const size_t at = s.empty() ? 0 : 1 + rng() % s.size();  // byte 0 picks the route: keep it
    switch (rng() % 6) {
      case 0:
        if (at < s.size()) s[at] = static_cast<char>(s[at] ^ (1u << (rng() % 8)));
        break;
      case 1:
        s.insert(std::min(at, s.size()), 1, static_cast<char>(rng() % 256));
        break;
      case 2:
        if (at < s.size()) s.erase(at, 1 + rng() % std::min<size_t>(8, s.size() - at));
        break;
      case 3: {
        const std::string& other = seeds[rng() % seeds.size()];
        if (other.size() > 1) {
          const size_t from = 1 + rng() % (other.size() - 1);
          s.insert(std::min(at, s.size()), other.substr(from, 1 + rng() % (other.size() - from)));
        }
        break;
      }
      default:
        s.insert(std::min(at, s.size()), kTokens[rng() % std::size(kTokens)]);
        break;
    }
  }
  return s.substr(0, 64 * 1024);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR SECONDS [SEED]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> seeds;
  for (const auto& f : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    seeds.push_back(text.str());
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "%s: no seeds in %s\n", argv[0], argv[1]);
    return 1;
  }
  // The input being run is written first, so that the one that failed is there to replay.
  const std::string last = std::string(argv[0]) + ".last-input";
  const auto run = [&last](const std::string& input) {
    std::ofstream(last, std::ios::binary | std::ios::trunc) << input;
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  };
  for (const auto& s : seeds) run(s);
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : std::random_device{}();
  std::mt19937_64 rng(seed);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(std::atoi(argv[2]));
  uint64_t runs = seeds.size();
  while (std::chrono::steady_clock::now() < until) {
    run(Mutate(seeds[rng() % seeds.size()], seeds, rng));
    ++runs;
  }
  std::printf("%s: %zu seeds replayed, %llu runs in %s s (mutation seed %llu: pass it to repeat)\n", argv[0],
              seeds.size(), static_cast<unsigned long long>(runs), argv[2], static_cast<unsigned long long>(seed));
  return 0;
}
