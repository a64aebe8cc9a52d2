import XCTest
@testable import HarnessCore

/// FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) over UTF-8 bytes.
/// Expected values were checked with an independent Python implementation of FNV-1a 64.
final class StreamNameHashTests: XCTestCase {
    func testKnownAnswers() {
        XCTAssertEqual(StreamNameHash.fnv1a64(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(StreamNameHash.fnv1a64("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(StreamNameHash.fnv1a64("foobar"), 0x8594_4171_f739_67e8)
        XCTAssertEqual(StreamNameHash.fnv1a64("claimbench/test"), 0x4b7d_7311_499a_f818)
    }

    /// The hash is over UTF-8 bytes, not Characters: "é" precomposed (C3 A9) and decomposed
    /// (65 CC 81) are equal Swift Strings but different stream names.
    func testHashesUTF8BytesNotCharacters() {
        let precomposed = "caf\u{e9}", decomposed = "cafe\u{301}"
        XCTAssertEqual(precomposed, decomposed)
        XCTAssertNotEqual(StreamNameHash.fnv1a64(precomposed), StreamNameHash.fnv1a64(decomposed))
        // Independent Python values of FNV-1a 64 over the two byte sequences.
        XCTAssertEqual(StreamNameHash.fnv1a64(precomposed), 0x48e8_823a_cfa4_0d89)
        XCTAssertEqual(StreamNameHash.fnv1a64(decomposed), 0x14ec_c3ec_e072_3bb7)
    }

    func testDeterministicAndDistinct() {
        let names = ["data", "data/0", "data/1", "init", "noise", "Data", "data "]
        let hashes = names.map(StreamNameHash.fnv1a64)
        XCTAssertEqual(Set(hashes).count, names.count)
        XCTAssertEqual(names.map(StreamNameHash.fnv1a64), hashes)
    }
}
