// HTTP requests and responses as plain values, so that routing, handlers and middleware are
// written and tested without Beast; only server.cpp converts to and from the wire.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kith::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string client;      // the peer's address
  std::string request_id;  // for logs and problem details
  bool tls = false;
  // Set by the server when the body exceeded its limit: only the head was read.
  bool body_too_large = false;

  // The header's value, or empty.
  const std::string& Header(std::string_view name) const;
  // The value of one cookie, or empty.
  std::string Cookie(std::string_view name) const;
  bool IsStateChanging() const { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }
};

struct Response {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set for a body made while it is sent, so that the whole never sits in memory: `body` goes
  // first, then each piece this gives, in HTTP/1.1's chunked transfer coding (HTTP/1.0: until
  // the connection closes). Each call replaces `piece` with the next one and returns true, or
  // returns false when there is no more. The server calls it on a fiber (it may read the store),
  // one call at a time, the next only once the previous piece is written, and drops it when the
  // response ends. If it throws, or the client stops reading, the connection is closed without
  // the last chunk, so that the client sees the body is incomplete.
  std::function<bool(std::string& piece)> body_stream;
  // The route pattern that handled the request ("/api/v1/children/{id}"), for metrics.
  std::string route;

  void SetHeader(std::string name, std::string value);
  bool HasHeader(std::string_view name) const;
};

// Splits a request target into a decoded path and query parameters. False if the target is
// malformed: not starting with '/', bad percent-encoding, a NUL in the path, or a decoded path,
// parameter name or value that is not well-formed UTF-8.
bool ParseTarget(std::string_view target, std::string* path, std::map<std::string, std::string>* query);

}  // namespace kith::http
