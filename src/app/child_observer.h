// A listener told about every child index record that is created or changed, once the change
// is durable: the search index uses it to stay current without re-reading the database.
// Thread safety: ChildStored may be called from any request thread at once; implementations
// must be thread-safe and quick (they run on the request's thread).
#pragma once

#include "domain/child.h"

namespace kith::app {

class ChildObserver {
 public:
  virtual ~ChildObserver() = default;
  // `child` is the record as stored.
  virtual void ChildStored(const domain::Child& child) = 0;
};

}  // namespace kith::app
