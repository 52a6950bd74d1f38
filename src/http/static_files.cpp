#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include "common/log.h"
#include "http/problem.h"

namespace kith::http {
namespace {

std::string ContentType(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".json") return "application/json";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

constexpr const char* kNotBuilt =
    "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Kith</title></head><body>"
    "<h1>Kith</h1><p>The web front end has not been built. Run <code>make run</code> (or <code>npm run build</code>) "
    "and restart the server. The API is available under /api/v1.</p></body></html>";

}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    log::Warn("static.missing", {{"root", root}});
    files_["/index.html"] = {"text/html; charset=utf-8", kNotBuilt};
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string url = "/" + fs::relative(entry.path(), root).generic_string();
    files_[url] = {ContentType(entry.path()), buf.str()};
  }
  if (!files_.count("/index.html")) files_["/index.html"] = {"text/html; charset=utf-8", kNotBuilt};
  log::Info("static.loaded", {{"root", root}, {"files", files_.size()}});
}

StaticFiles StaticFiles::None() { return StaticFiles(); }

Response StaticFiles::Serve(const Request& request) const {
  if (files_.empty()) {
    Response r =
        ProblemResponse(404, "not_found", "Not found", "There is nothing at this address.", request.request_id);
    r.route = "(none)";
    return r;
  }
  Response r;
  r.route = "(static)";
  auto it = files_.find(request.path);
  const bool asset = it != files_.end() && request.path.rfind("/assets/", 0) == 0;
  if (it == files_.end()) it = files_.find("/index.html");
  r.content_type = it->second.content_type;
  r.body = request.method == "HEAD" ? std::string() : it->second.body;
  r.SetHeader("Cache-Control", asset ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace kith::http
