#include "domain/audit_checkpoint.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace kith::domain {
namespace {

ed25519::SigningKey Key(uint8_t fill) {
  ed25519::Seed seed;
  seed.fill(fill);
  return ed25519::SigningKey::FromSeed(seed);
}

AuditCheckpoint Sample() {
  AuditCheckpoint c;
  c.number = 42;
  c.issued_at = FromMicros(1'796'379'300'123'456);  // 2026-12-04T10:15:00.123456Z
  c.previous = std::string(64, 'a');
  c.chains = {{0, 1234, std::string(64, 'b')}};
  return c;
}

TEST(AuditCheckpointTest, TheFileIsTheDocumentedLinesSigned) {
  AuditCheckpoint c = Sample();
  const std::string file = SignCheckpoint(c, Key(1));
  const std::string statement =
      "kith-audit-checkpoint 1\n"
      "number 42\n"
      "issued-at 2026-12-04T10:15:00.123456Z\n"
      "previous " + std::string(64, 'a') + "\n"
      "chain 0 1234 " + std::string(64, 'b') + "\n"
      "key " + FormatPublicKey(Key(1).public_key()) + "\n";
  EXPECT_EQ(CheckpointStatement(c), statement);
  EXPECT_EQ(file, statement + "signature " + Base64Encode(Key(1).Sign(statement)) + "\n");
  EXPECT_TRUE(ed25519::Verify(Key(1).public_key(), statement, c.signature));
}

TEST(AuditCheckpointTest, ParsesWhatItWritesAndTheSignatureHolds) {
  AuditCheckpoint c = Sample();
  // Several chains (PostgreSQL: one per writer), in chain order; numbers need not be contiguous.
  c.chains = {{0, 5, std::string(64, 'c')}, {2, 9, std::string(64, 'd')}, {10, 1, std::string(64, 'e')}};
  const std::string file = SignCheckpoint(c, Key(2));
  auto parsed = ParseCheckpoint(file);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->number, 42);
  EXPECT_EQ(parsed->issued_at, c.issued_at);
  EXPECT_EQ(parsed->previous, c.previous);
  EXPECT_EQ(parsed->chains, c.chains);
  EXPECT_EQ(parsed->key, Key(2).public_key());
  EXPECT_TRUE(CheckpointSignatureValid(*parsed));
  EXPECT_EQ(CheckpointFileHash(file), Sha256Hex(file));
}

TEST(AuditCheckpointTest, AnAlteredStatementNoLongerVerifies) {
  AuditCheckpoint c = Sample();
  std::string file = SignCheckpoint(c, Key(3));
  file.replace(file.find("1234"), 4, "1233");
  auto parsed = ParseCheckpoint(file);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(CheckpointSignatureValid(*parsed));
  // Re-signed by another key, it verifies for that key only: trust is the verifier's question.
  AuditCheckpoint forged = *parsed;
  SignCheckpoint(forged, Key(4));
  EXPECT_TRUE(CheckpointSignatureValid(forged));
  EXPECT_NE(forged.key, Key(3).public_key());
}

TEST(AuditCheckpointTest, RefusesAnythingButTheExactFormat) {
  AuditCheckpoint c = Sample();
  const std::string good = SignCheckpoint(c, Key(5));
  auto replace = [&](std::string from, std::string to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_FALSE(ParseCheckpoint(good.substr(0, good.size() - 1)));             // cut short
  EXPECT_FALSE(ParseCheckpoint(replace("\n", "\r\n")));                        // CRLF
  EXPECT_FALSE(ParseCheckpoint(replace("number 42", "number 042")));           // leading zero
  EXPECT_FALSE(ParseCheckpoint(replace("number 42", "number 0")));
  EXPECT_FALSE(ParseCheckpoint(replace("number 42", "number  42")));
  EXPECT_FALSE(ParseCheckpoint(replace("checkpoint 1", "checkpoint 2")));      // another version
  EXPECT_FALSE(ParseCheckpoint(replace(".123456Z", ".123Z")));
  EXPECT_FALSE(ParseCheckpoint(replace(std::string(64, 'a'), std::string(64, 'A'))));  // upper-case hex
  EXPECT_FALSE(ParseCheckpoint(replace("chain 0", "chain main")));               // a chain is a number
  EXPECT_FALSE(ParseCheckpoint(replace("chain 0", "chain 00")));
  EXPECT_FALSE(ParseCheckpoint(replace("previous", "prev")));
  EXPECT_FALSE(ParseCheckpoint(good + "extra\n"));
  const std::string chain_line = "chain 0 1234 " + std::string(64, 'b') + "\n";
  EXPECT_FALSE(ParseCheckpoint(replace(chain_line, "")));                      // no chain
  EXPECT_FALSE(ParseCheckpoint(replace(chain_line, chain_line + chain_line))); // a chain twice
  // Out of order: chain 1 before chain 0.
  EXPECT_FALSE(ParseCheckpoint(replace(chain_line, "chain 1 1 " + std::string(64, 'b') + "\n" + chain_line)));
  // In order, it is well formed.
  EXPECT_TRUE(ParseCheckpoint(replace(chain_line, chain_line + "chain 1 1 " + std::string(64, 'b') + "\n")));

  EXPECT_TRUE(ParseCheckpoint(good));
}

TEST(AuditCheckpointTest, PublicKeysAndTimesRoundTrip) {
  const auto key = Key(6).public_key();
  EXPECT_EQ(ParsePublicKey(FormatPublicKey(key)), key);
  EXPECT_EQ(ParsePublicKey(FormatPublicKey(key) + "\n"), key);
  EXPECT_FALSE(ParsePublicKey("ed25519 AAAA"));
  EXPECT_FALSE(ParsePublicKey("rsa " + Base64Encode(key)));
  const TimePoint t = FromMicros(1'796'379'300'000'001);
  EXPECT_EQ(FormatMicrosUtc(t), "2026-12-04T10:15:00.000001Z");
  EXPECT_EQ(ParseMicrosUtc(FormatMicrosUtc(t)), t);
  EXPECT_EQ(FormatMicrosUtc(FromMicros(0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_FALSE(ParseMicrosUtc("2026-02-30T10:15:00.000001Z"));
  EXPECT_FALSE(ParseMicrosUtc("2026-12-04T24:00:00.000000Z"));
}

}  // namespace
}  // namespace kith::domain
