#include "http/router.h"

#include "http/problem.h"

namespace kith::http {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
  auto segments = SplitPath(pattern);
  entries_.push_back({std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

bool Router::Match(const Entry& e, const std::vector<std::string>& path, Params* params) {
  if (e.segments.size() != path.size()) return false;
  for (size_t i = 0; i < path.size(); ++i) {
    const auto& seg = e.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (path[i].empty()) return false;
      if (params) (*params)[seg.substr(1, seg.size() - 2)] = path[i];
    } else if (seg != path[i]) {
      return false;
    }
  }
  return true;
}

bool Router::Matches(const std::string& path) const {
  const auto parts = SplitPath(path);
  for (const auto& e : entries_) {
    if (Match(e, parts, nullptr)) return true;
  }
  return false;
}

Response Router::Route(const Request& request) const {
  const auto parts = SplitPath(request.path);
  std::string allow;
  for (const auto& e : entries_) {
    Params params;
    if (!Match(e, parts, &params)) continue;
    if (e.method == request.method) {
      Response r = e.handler(request, params);
      r.route = e.pattern;
      return r;
    }
    allow += (allow.empty() ? "" : ", ") + e.method;
  }
  if (!allow.empty()) {
    Response r = ProblemResponse(405, "method_not_allowed", "Method not allowed",
                                 "This resource does not accept " + request.method + ".", request.request_id);
    r.SetHeader("Allow", allow);
    r.route = "(method not allowed)";
    return r;
  }
  Response r = ProblemResponse(404, "not_found", "Not found", "There is nothing at this address.", request.request_id);
  r.route = "(unmatched)";
  return r;
}

}  // namespace kith::http
