// Serves the built web front end (web/dist) from memory: every file is read once at start-up.
// Unknown paths that are not files get index.html, so the single-page app handles its own
// routes. Hashed assets are cached for a year; index.html is always revalidated.
// Thread safety: immutable after construction; safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "http/message.h"

namespace kith::http {

class StaticFiles {
 public:
  // Loads every regular file under `root`. A missing root serves a short page explaining how to
  // build the front end.
  explicit StaticFiles(const std::string& root);
  // Serves nothing: every path is a 404 problem. For a server with no web front end (the hub),
  // which must not answer unknown paths with the front end's page.
  static StaticFiles None();
  Response Serve(const Request& request) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  StaticFiles() = default;
  std::map<std::string, File> files_;  // by URL path, "/index.html"; empty for None()
};

}  // namespace kith::http
