#include "server/audit_files.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/encoding.h"

namespace kith::server {
namespace {

constexpr std::string_view kSuffix = ".checkpoint";
constexpr std::string_view kKeyMagic = "kith-audit-signing-key 1";

std::runtime_error Failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// Writes `text` to `path` durably: a temporary file, fsync, rename, fsync of the directory.
void WriteDurably(const std::string& dir, const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw Failure("cannot create " + tmp);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      throw Failure("cannot write " + tmp);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    throw Failure("cannot flush " + tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw Failure("cannot rename " + tmp);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) throw Failure("cannot open " + dir);
  const int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) throw Failure("cannot flush " + dir);
}

std::optional<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

CheckpointDirectory CheckpointDirectory::Open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create the audit checkpoint directory " + dir + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
  return CheckpointDirectory(dir);
}

std::string CheckpointDirectory::PathOf(int64_t number) const {
  char name[32];
  std::snprintf(name, sizeof name, "%012lld", static_cast<long long>(number));
  return dir_ + "/" + name + std::string(kSuffix);
}

std::vector<int64_t> CheckpointDirectory::Numbers() const {
  std::vector<int64_t> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 12 + kSuffix.size() || !name.ends_with(kSuffix)) continue;
    const std::string digits = name.substr(0, 12);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    out.push_back(std::stoll(digits));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> CheckpointDirectory::Read(int64_t number) const { return ReadAll(PathOf(number)); }

void CheckpointDirectory::Write(int64_t number, const std::string& file) { WriteDurably(dir_, PathOf(number), file); }

int64_t CheckpointDirectory::PublishedThrough() const {
  const auto text = ReadAll(dir_ + "/published-through");
  if (!text) return 0;
  try {
    return std::stoll(*text);
  } catch (const std::exception&) {
    return 0;
  }
}

void CheckpointDirectory::SetPublishedThrough(int64_t number) {
  WriteDurably(dir_, dir_ + "/published-through", std::to_string(number) + "\n");
}

Result<ed25519::SigningKey> LoadSigningKey(const std::string& path, bool create, Random& random) {
  auto bad = [&](const std::string& what) { return Error::Invalid("audit_signing_key", path + ": " + what); };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return bad(std::string("cannot be read (") + std::strerror(errno) + ").");
    if (!create) return bad("there is no audit signing key here (the server makes one when it first starts).");
    const auto key = ed25519::SigningKey::Generate(random);
    const std::string text = std::string(kKeyMagic) + "\ned25519-seed " + Base64Encode(key.seed()) + "\n";
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return bad(std::string("cannot be created (") + std::strerror(errno) + ").");
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) return bad("could not be written in full; remove it and start again.");
    return key;
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return bad("other users can read it; make it private to Kith's account (chmod 600) and consider replacing the key.");
  }
  const auto text = ReadAll(path);
  if (!text) return bad("cannot be read.");
  const std::string prefix = std::string(kKeyMagic) + "\ned25519-seed ";
  if (text->rfind(prefix, 0) != 0 || text->back() != '\n') return bad("is not a Kith audit signing key.");
  const auto seed = Base64Decode(std::string_view(*text).substr(prefix.size(), text->size() - prefix.size() - 1));
  if (!seed || seed->size() != 32) return bad("is not a Kith audit signing key (the seed is not 32 bytes of base64).");
  ed25519::Seed s{};
  std::copy(seed->begin(), seed->end(), s.begin());
  return ed25519::SigningKey::FromSeed(s);
}

HttpCheckpointPublisher::HttpCheckpointPublisher(std::string url, long timeout_seconds)
    : url_(std::move(url)), timeout_seconds_(timeout_seconds) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

Status HttpCheckpointPublisher::Publish(int64_t number, const std::string& file) {
  CURL* curl = curl_easy_init();
  if (!curl) return Error::Conflict("libcurl could not start a request");
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: text/plain; charset=utf-8");
  headers = curl_slist_append(headers, ("Kith-Checkpoint-Number: " + std::to_string(number)).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, file.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(file.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_seconds_);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t n, void*) { return size * n; });
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return Error::Conflict(url_ + ": " + curl_easy_strerror(rc));
  if (status < 200 || status > 299) return Error::Conflict(url_ + " answered " + std::to_string(status));
  return Ok{};
}

}  // namespace kith::server
