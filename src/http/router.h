// Maps method and path to a handler. Patterns are literal segments and {name} parameters:
// "/api/v1/children/{id}/team". Routes are registered explicitly by the composition root.
// Thread safety: register everything before serving; Route is then safe from any thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.h"

namespace kith::http {

using Params = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const Params&)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);

  // Handles the request: 404 problem for an unknown path, 405 (with Allow) for a known path
  // with another method. Sets Response::route to the matched pattern.
  Response Route(const Request& request) const;

  // True if some route's pattern matches the path (whatever the method).
  bool Matches(const std::string& path) const;

 private:
  struct Entry {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool Match(const Entry& e, const std::vector<std::string>& path, Params* params);
  std::vector<Entry> entries_;
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace kith::http
