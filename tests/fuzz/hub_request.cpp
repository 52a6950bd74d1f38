// Requests to the national hub (hub/hub_api.h) through its real router and a throwaway store:
// the target signs each request itself with a test authority's Ed25519 key, over the canonical
// text docs/hub.md defines (written out here, not taken from the product), so that the body
// decoding behind the signature check is reached.
//
// Input: one mode byte, then the body. Mode bits: 0-1 the route (changes, queries, cursor,
// health); 2 the body is altered after signing; 3 a wrong content type; 4 the bytes before the
// body's first newline are the Kith-Timestamp (else the clock's); 5 the other trusted authority
// signs; 6 the very same request is sent twice.
//
// Invariants: never a 5xx, every answer JSON; a request not validly signed (altered, replayed,
// a timestamp out of the skew) is 401 and changes nothing; a validly signed one is never 401;
// a change refused leaves the authority's sequence and the hub's children as they were; a change
// accepted answers the authority's new last sequence.
#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/encoding.h"
#include "http/router.h"
#include "hub/hub_api.h"
#include "hub/hub_service.h"
#include "hub/hub_store.h"

using namespace kith;

namespace {

struct Authority {
  std::string code;
  std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> sk{};
};

Authority MakeAuthority(std::string code, uint8_t seed_byte) {
  Authority a;
  a.code = std::move(code);
  std::array<uint8_t, crypto_sign_SEEDBYTES> seed{};
  seed.fill(seed_byte);
  crypto_sign_seed_keypair(a.pk.data(), a.sk.data(), seed.data());
  return a;
}

std::string Base64(const uint8_t* data, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

// The four headers of docs/hub.md, signed over "kith-hub-1\n" METHOD "\n" PATH "\n" AUTHORITY "\n"
// TIMESTAMP "\n" NONCE "\n" hex(SHA-256(BODY)).
std::map<std::string, std::string> Sign(const Authority& a, const std::string& method, const std::string& path,
                                        const std::string& timestamp, const std::string& nonce,
                                        const std::string& body) {
  const std::string text =
      "kith-hub-1\n" + method + "\n" + path + "\n" + a.code + "\n" + timestamp + "\n" + nonce + "\n" + Sha256Hex(body);
  std::array<uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const uint8_t*>(text.data()), text.size(), a.sk.data());
  return {{"kith-authority", a.code},
          {"kith-timestamp", timestamp},
          {"kith-nonce", nonce},
          {"kith-signature", Base64(sig.data(), sig.size())}};
}

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Authority test = MakeAuthority("TEST", 1);
  static const Authority other = MakeAuthority("OTHR", 2);
  static const std::map<std::string, hub::PublicKey> authorities = {{test.code, test.pk}, {other.code, other.pk}};
  static uint64_t nonce_counter = 0;
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);

  // A throwaway hub: another authority holds one child, so that queries can match.
  auto store = hub::OpenSqliteHubStore(":memory:");
  hub::HubService service(*store, {other.code, test.code});
  pprl::Tokens held;
  held.nhs = pprl::IdToken{};
  held.nhs->fill(0xab);
  held.blocks = {0x0123456789abcdefULL};
  Check(service.Publish(other.code, "kith-pprl-1:k1", {{1, "held-1", held}}).ok());
  const ManualClock clock(TimePoint(std::chrono::seconds(1'800'000'000)));
  http::Router router;
  hub::RegisterHubApi(router, {service, *store, authorities, clock});

  static const char* const kPaths[] = {"/hub/v1/changes", "/hub/v1/queries", "/hub/v1/cursor", "/healthz"};
  const std::string path = kPaths[mode & 3];
  const std::string method = (mode & 3) < 2 ? "POST" : "GET";
  const Authority& signer = (mode & 0x20) ? other : test;
  std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count());
  bool in_skew = true;
  if (mode & 0x10) {
    const size_t nl = body.find('\n');
    if (nl == std::string::npos || nl > 24) return 0;
    timestamp = body.substr(0, nl);
    body.erase(0, nl + 1);
    // What the hub must accept: decimal seconds within 300 s of its clock.
    in_skew = !timestamp.empty();
    uint64_t seconds = 0;
    for (char c : timestamp) {
      if (c < '0' || c > '9' || seconds > 1'000'000'000'000ULL) {
        in_skew = false;
        break;
      }
      seconds = seconds * 10 + static_cast<uint64_t>(c - '0');
    }
    in_skew = in_skew && seconds >= 1'800'000'000 - 300 && seconds <= 1'800'000'000 + 300;
  }
  char nonce[33];
  std::snprintf(nonce, sizeof nonce, "%032llx", static_cast<unsigned long long>(++nonce_counter));

  http::Request q;
  q.method = method;
  q.target = q.path = path;
  q.client = "192.0.2.1";
  q.request_id = "fuzz";
  q.body = body;
  q.headers = Sign(signer, method, path, timestamp, nonce, body);
  if (method == "POST") q.headers["content-type"] = (mode & 8) ? "text/plain" : "application/json";
  const bool altered = (mode & 4) && method == "POST";
  if (altered) q.body += ' ';

  const uint64_t seq_before = service.LastSeq(signer.code);
  const size_t held_before = service.Size();
  const http::Response r = router.Route(q);
  Check(r.status < 500);
  Check(!nlohmann::json::parse(r.body, nullptr, false).is_discarded());
  const bool health = (mode & 3) == 3;
  const bool signed_well = !altered && in_skew;
  if (!health) Check((r.status == 401) == !signed_well);
  if (r.status >= 300) {
    Check(service.LastSeq(signer.code) == seq_before);
    Check(service.Size() == held_before);
  } else if ((mode & 3) == 0) {
    const auto answer = nlohmann::json::parse(r.body);
    Check(answer.at("last_seq").get<uint64_t>() == service.LastSeq(signer.code));
  }
  if ((mode & 0x40) && !health) {
    // The same signed request again: a replay, refused whatever it carries.
    const uint64_t seq = service.LastSeq(signer.code);
    const size_t held_now = service.Size();
    const http::Response again = router.Route(q);
    Check(again.status == 401);
    Check(service.LastSeq(signer.code) == seq && service.Size() == held_now);
  }
  return 0;
}
