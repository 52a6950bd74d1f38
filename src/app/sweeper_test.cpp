#include "app/sweeper.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "app/test_fixture.h"

namespace kith::app {
namespace {

// Two servers of one cluster over the same store, each with its own sweeps that count their runs.
class SweeperTest : public AppFixture {
 protected:
  Sweeper Server(const std::string& holder, std::vector<std::string>& ran) {
    return Sweeper(*store_, clock_, holder,
                   {{"first", [&ran, holder] { ran.push_back(holder + ":first"); return int64_t{1}; }},
                    {"second", [&ran, holder] { ran.push_back(holder + ":second"); return int64_t{0}; }}});
  }
};

TEST_F(SweeperTest, OneServerOfTheClusterSweepsAndTheOthersDoNot) {
  std::vector<std::string> ran;
  Sweeper a = Server("a", ran);
  Sweeper b = Server("b", ran);
  EXPECT_TRUE(a.Tick());
  EXPECT_FALSE(b.Tick());
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_FALSE(b.Tick());
  EXPECT_TRUE(a.Tick());  // the holder renews its lease
  EXPECT_EQ(ran, (std::vector<std::string>{"a:first", "a:second", "a:first", "a:second"}));
}

TEST_F(SweeperTest, TheLeasePassesOnWhenItsHolderStopsRenewingOrReleasesIt) {
  std::vector<std::string> ran;
  Sweeper a = Server("a", ran);
  Sweeper b = Server("b", ran);
  ASSERT_TRUE(a.Tick());
  // a dies: b waits out the lease, not a minute longer.
  clock_.Advance(kSweeperLeaseStale - std::chrono::seconds(1));
  EXPECT_FALSE(b.Tick());
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(b.Tick());
  EXPECT_FALSE(a.Tick()) << "a came back: b holds the lease now";
  // b stops cleanly: a takes over at once.
  b.Release();
  EXPECT_TRUE(a.Tick());
}

TEST_F(SweeperTest, ASweepThatFailsDoesNotStopTheOthers) {
  std::vector<std::string> ran;
  Sweeper s(*store_, clock_, "a",
            {{"broken", []() -> int64_t { throw std::runtime_error("no such table"); }},
             {"fine", [&ran] { ran.push_back("fine"); return int64_t{2}; }}});
  EXPECT_TRUE(s.Tick());
  EXPECT_EQ(ran, std::vector<std::string>{"fine"});
}

}  // namespace
}  // namespace kith::app
