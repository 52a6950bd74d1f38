// Idempotency keys (SECURITY.md "Clients can retry safely"; docs/idempotency.md): decides what
// a request carrying a key gets — a fresh run, the stored response, or a refusal — and stores
// or releases the key once the run is over. The key itself is recorded with the request's first
// committed write by storage::IdempotentStore (the store in the Context must be one), through
// the IdempotencyClaim the caller opens around the handler.
//
// Thread safety: every method is safe from any thread. A request is "in flight" from a Start
// that answers kRun until its response is durable. The in-flight set is per process, and several
// nodes may share the database (issue 16), so a key found stored without a response may belong
// to a run still going on another node, or whose response that node has not written yet. Such a
// key is answered kInFlight (retry shortly) for kIdempotencyRunGrace after it was recorded, and
// kResponseLost after that; a key this process itself knows lost (a failure after the change was
// written, or its response's write failed) is kResponseLost at once.
//
// Storing a response does not hold up the request: Finish keeps the response in memory, where
// Start replays it from at once, and a background thread writes it (many responses per write).
// When the database cannot take that write for a while (a failover, a lost connection), the
// thread tries again every `retry_pause`, up to kResponseStoreAttempts times, so a response
// acknowledged just before a failover is still stored for retries on other nodes. A crash
// before that write, or a failure that outlasts the attempts, leaves the key "in progress" — a
// lost response, which is exactly what the client is then told. So a keyed request waits for
// one commit, as an unkeyed one does.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/context.h"
#include "app/principal.h"

namespace kith::app {

// How long a key is remembered after its first use.
inline constexpr std::chrono::hours kIdempotencyKeyLifetime{24};
// How long after its change a key recorded by another process without a response is taken to be
// still running there (its response on the way), rather than lost.
inline constexpr std::chrono::seconds kIdempotencyRunGrace{30};
// How many times the background thread tries to store a batch of responses (with the default
// pause, about two minutes: longer than a failover) before it counts them lost.
inline constexpr int kResponseStoreAttempts = 120;

struct KeyedRequest {
  std::string scope;        // whose key ("user:<id>")
  std::string key;          // as sent
  std::string fingerprint;  // of method, target and body
  std::string method;
  std::string target;
};

struct StoredResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

enum class KeyVerdict {
  kRun,           // first use: run the request (then Finish)
  kReplay,        // same request, response stored: answer with it, run nothing
  kMismatch,      // the key was used for a different request
  kInFlight,      // the first request with this key is still running
  kResponseLost,  // the first request wrote its change but its response was never stored
};

struct KeyCheck {
  KeyVerdict verdict = KeyVerdict::kRun;
  std::optional<StoredResponse> response;  // for kReplay
};

class IdempotencyService {
 public:
  // Starts the thread that stores responses; `retry_pause` is its wait between attempts when
  // the database is unavailable.
  explicit IdempotencyService(Context& ctx, std::chrono::milliseconds retry_pause = std::chrono::seconds(1));
  // Stores the responses still queued, then stops the thread.
  ~IdempotencyService();

  KeyCheck Start(const KeyedRequest& request);

  // The record to open a storage::IdempotencyClaim with for a kRun request.
  storage::IdempotencyRecord NewRecord(const KeyedRequest& request) const;

  // Ends a kRun request. If its key was `recorded` with a change: stores `response` (replayed
  // from memory until it is durable), or — for a response that invites a later retry (429,
  // 503, ...) — forgets the key so that the retry runs. Without a response (the handler failed
  // after writing), or after a server error other than 503, the key stays "in progress" and a
  // retry is told the response was lost. Nothing is stored for a request that wrote nothing.
  void Finish(const KeyedRequest& request, bool recorded, const std::optional<StoredResponse>& response);

  // Audits that `p` was answered from the stored response of an earlier request.
  void AuditReplay(const Principal& p, const KeyedRequest& request, const std::string& child_id, int status);

  // Removes expired keys; returns how many.
  int64_t Sweep();

  // Returns once every response finished so far is durable (for tests).
  void Flush();

 private:
  struct InFlight {
    std::string fingerprint;
    std::shared_ptr<const StoredResponse> response;  // set once finished, until durable
  };
  struct Pending {
    std::string id;
    KeyedRequest request;
    std::shared_ptr<const StoredResponse> response;
  };
  void StoreResponses(std::stop_token stop);
  // Writes the batch's responses, trying again after a passing failure; false if they could not
  // be stored (then the caller counts them lost).
  bool StoreBatch(const std::vector<Pending>& batch, std::stop_token stop);
  void Leave(const std::string& id);
  // Leaves the in-flight set, and remembers that the key's response is lost. Caller holds mutex_.
  void LeaveLost(const std::string& id);

  Context& ctx_;
  const std::chrono::milliseconds retry_pause_;
  std::mutex mutex_;
  std::condition_variable_any wake_;                     // a response is queued, or stop
  std::condition_variable stored_;                       // the queue was written
  std::unordered_map<std::string, InFlight> in_flight_;  // by scope + '\n' + key
  std::unordered_map<std::string, TimePoint> lost_;      // keys whose response this process lost, and when
  std::vector<Pending> queue_;                           // finished, response not yet written
  bool writing_ = false;                                 // the thread is writing a batch taken from queue_
  std::jthread writer_;                                  // last: starts after, and stops before, the rest
};

// True for statuses that tell the client to try again later (408, 423, 425, 429, 503): such a
// response is not replayed.
bool IsRetryLater(int status);

}  // namespace kith::app
