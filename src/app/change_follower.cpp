#include "app/change_follower.h"

#include <set>
#include <string>
#include <vector>

#include "app/search_service.h"
#include "common/log.h"

namespace kith::app {

ChangeFollower::ChangeFollower(storage::Store& store, linkage::SearchIndex& index, WordIndex& words,
                               uint64_t position, FollowerOptions options)
    : store_(store),
      index_(index),
      words_(words),
      options_(options),
      position_(position),
      corpus_loaded_(std::chrono::steady_clock::now()) {
  subscription_ = store_.Listen([this](std::string_view topic, std::string_view) {
    // "changes", or "" when messages may have been missed: either way, look.
    if (!topic.empty() && topic != "changes") return;
    {
      std::lock_guard lock(wake_mutex_);
      woken_ = true;
    }
    wake_.notify_one();
  });
  thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
}

ChangeFollower::~ChangeFollower() {
  thread_.request_stop();
  wake_.notify_one();
  thread_ = {};               // joins
  subscription_.reset();
}

int64_t ChangeFollower::applied() const { return applied_.load(std::memory_order_relaxed); }

void ChangeFollower::CatchUp() {
  std::lock_guard lock(apply_mutex_);
  Apply();
}

void ChangeFollower::Run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, stop, options_.interval, [this] { return woken_; });
      woken_ = false;
    }
    if (stop.stop_requested()) return;
    try {
      std::lock_guard lock(apply_mutex_);
      Apply();
    } catch (const std::exception& e) {
      // The database is away (a failover); the next pass picks up from the same position.
      log::Warn("changes.follow_failed", {{"reason", e.what()}});
    }
  }
}

void ChangeFollower::Apply() {
  const auto page = store_.ReadValue(
      [&](storage::Repositories& r) { return r.Changes().Since(position_, options_.page); });
  std::set<std::string> children, texts;
  for (const auto& c : page.changes) {
    (c.kind == "text" ? texts : children).insert(c.subject);
  }
  if (!page.complete) {
    // More changed than the feed can say (or it forgot): read every child again.
    log::Warn("changes.reindexing", {{"reason", "the change feed could not say everything that changed"}});
    const auto authorities = store_.ReadValue([](storage::Repositories& r) { return r.Authorities().List(); });
    for (const auto& authority : authorities) {
      std::string after;
      for (;;) {
        auto records = store_.ReadValue(
            [&](storage::Repositories& r) { return r.Children().ListRecordsByAuthority(authority.id, after, 10'000); });
        for (const auto& c : records) (void)index_.Upsert(ToIndexedChild(c));
        if (records.size() < 10'000) break;
        after = records.back().id;
      }
    }
    words_.ForgetAll();
    corpus_stale_ = true;
  }
  if (!children.empty()) {
    const std::vector<std::string> ids(children.begin(), children.end());
    const auto records = store_.ReadValue([&](storage::Repositories& r) {
      std::vector<domain::Child> out;
      for (const auto& id : ids) {
        if (auto c = r.Children().Get(id)) out.push_back(std::move(*c));
      }
      return out;
    });
    for (const auto& c : records) {
      if (auto s = index_.Upsert(ToIndexedChild(c)); !s) {
        log::Warn("search_index.update_failed", {{"child_id", c.id}, {"reason", s.error().message}});
      }
    }
  }
  for (const auto& id : texts) words_.Forget(id);
  if (!texts.empty()) corpus_stale_ = true;
  const auto now = std::chrono::steady_clock::now();
  if (corpus_stale_ && now - corpus_loaded_ >= options_.corpus_interval) {
    words_.ReloadCorpus(store_);
    corpus_loaded_ = now;
    corpus_stale_ = false;
  }
  applied_.fetch_add(static_cast<int64_t>(page.changes.size()), std::memory_order_relaxed);
  position_ = page.next;
}

}  // namespace kith::app
