// SHA-2 against FIPS 180 examples, and streaming equals one-shot.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "verun/proofs/ct_compare.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

TEST(Sha2, KnownAnswers) {
  EXPECT_EQ(hex_encode(sha256(std::string_view(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_encode(sha256(std::string_view("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_encode(sha512(as_bytes("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(hex_encode(sha384(as_bytes("abc"))),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
}

RC_GTEST_PROP(Sha2Property, StreamingEqualsOneShot, (const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b)) {
  Bytes all = a;
  append(all, b);
  Sha256 h;
  h.update(a).update(b);
  RC_ASSERT(h.finish() == sha256(all));
  // finish() resets, so the object is reusable.
  h.update(all);
  RC_ASSERT(h.finish() == sha256(all));
}

TEST(CtCompare, EqualityAndLength) {
  EXPECT_TRUE(ct_equal(as_bytes("abc"), as_bytes("abc")));
  EXPECT_FALSE(ct_equal(as_bytes("abc"), as_bytes("abd")));
  EXPECT_FALSE(ct_equal(as_bytes("abc"), as_bytes("ab")));
  EXPECT_TRUE(ct_equal(ByteView{}, ByteView{}));
}

}  // namespace
}  // namespace verun::proofs
