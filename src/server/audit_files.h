// The server's side of signed audit checkpoints (docs/audit-format.md, "Checkpoints"): the
// directory that keeps them, the file that holds the signing key, and the HTTP endpoint that
// may keep a copy of each.
// Thread safety: each object is used by one thread at a time (the checkpointer serialises them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/audit_checkpoints.h"
#include "common/ed25519.h"
#include "common/random.h"
#include "common/result.h"

namespace kith::server {

// Checkpoint N is the file "<dir>/<N, 12 digits>.checkpoint", written to a temporary file,
// flushed to disk and renamed into place, so a crash leaves the whole file or none. The number
// of the newest checkpoint the external endpoint accepted is kept in "<dir>/published-through".
class CheckpointDirectory final : public app::CheckpointArchive {
 public:
  // Creates the directory if it does not exist (mode 0700). Throws std::runtime_error if it
  // cannot be.
  static CheckpointDirectory Open(const std::string& dir);
  // For reading only (kith audit verify): a missing directory holds no checkpoints.
  explicit CheckpointDirectory(std::string dir) : dir_(std::move(dir)) {}

  std::vector<int64_t> Numbers() const override;
  std::optional<std::string> Read(int64_t number) const override;
  void Write(int64_t number, const std::string& file) override;
  int64_t PublishedThrough() const override;
  void SetPublishedThrough(int64_t number) override;
  std::string Describe() const override { return "the directory " + dir_; }

 private:
  std::string PathOf(int64_t number) const;
  std::string dir_;
};

// The signing key file: two lines, "kith-audit-signing-key 1" and "ed25519-seed <base64 of 32
// bytes>". With `create`, a missing file is made with a new key (mode 0600, never replaced).
// Errors (kInvalidInput) say what is wrong with the file: unreadable, malformed, or readable by
// other users (the key must be private to Kith's account).
Result<ed25519::SigningKey> LoadSigningKey(const std::string& path, bool create, Random& random);

// POSTs each checkpoint (text/plain; header Kith-Checkpoint-Number) to an http:// or https://
// address; any 2xx answer is acceptance. Each attempt gives up after `timeout_seconds`.
class HttpCheckpointPublisher final : public app::CheckpointPublisher {
 public:
  explicit HttpCheckpointPublisher(std::string url, long timeout_seconds = 5);
  Status Publish(int64_t number, const std::string& file) override;

 private:
  std::string url_;
  long timeout_seconds_;
};

}  // namespace kith::server
