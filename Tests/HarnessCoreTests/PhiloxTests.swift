import XCTest
@testable import HarnessCore

/// Known-answer tests for Philox4x32-10 against the published Random123 vectors.
///
/// Source: Random123, `tests/kat_vectors`, https://github.com/DEShawResearch/random123
/// (commit 9545ff6413f258be2f04c1d319d99aaef7521150, the v1.14.0 tree), lines 27-29:
///
///     philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000   6627e8d5 e169c58d bc57ac4c 9b00dbd8
///     philox4x32 10 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff   408f276d 41c83b0e a20bc7c6 6d5451fd
///     philox4x32 10 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0   d16cfe09 94fdcceb 5001e420 24126ea1
///
/// Columns: generator, rounds, counter (4 words, v[0] first), key (2 words), expected output (4 words).
final class PhiloxTests: XCTestCase {
    private struct Vector {
        var counter: [UInt32]
        var key: [UInt32]
        var expected: [UInt32]
    }

    private let vectors: [Vector] = [
        Vector(
            counter: [0x0000_0000, 0x0000_0000, 0x0000_0000, 0x0000_0000], key: [0x0000_0000, 0x0000_0000],
            expected: [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]),
        Vector(
            counter: [0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff], key: [0xffff_ffff, 0xffff_ffff],
            expected: [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]),
        Vector(
            counter: [0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344], key: [0xa409_3822, 0x299f_31d0],
            expected: [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]),
    ]

    private static func words(_ c: Philox4x32.Counter) -> [UInt32] { [c.0, c.1, c.2, c.3] }

    private static func hex(_ words: [UInt32]) -> String {
        words.map { String($0, radix: 16) }.joined(separator: " ")
    }

    func testRandom123KnownAnswers() {
        for vector in vectors {
            let c = vector.counter, k = vector.key
            let output = Self.words(Philox4x32.block(counter: (c[0], c[1], c[2], c[3]), key: (k[0], k[1])))
            XCTAssertEqual(
                output, vector.expected,
                "counter \(Self.hex(c)) key \(Self.hex(k)): got \(Self.hex(output)), want \(Self.hex(vector.expected))")
        }
    }

    /// A change in any single counter or key word changes every output word, so no input word
    /// is silently ignored.
    func testEveryInputWordMatters() {
        let base = Self.words(Philox4x32.block(counter: (1, 2, 3, 4), key: (5, 6)))
        let variants: [(Philox4x32.Counter, Philox4x32.Key)] = [
            ((0, 2, 3, 4), (5, 6)), ((1, 3, 3, 4), (5, 6)), ((1, 2, 2, 4), (5, 6)),
            ((1, 2, 3, 5), (5, 6)), ((1, 2, 3, 4), (4, 6)), ((1, 2, 3, 4), (5, 7)),
        ]
        for (index, (counter, key)) in variants.enumerated() {
            let output = Self.words(Philox4x32.block(counter: counter, key: key))
            for word in 0..<4 {
                XCTAssertNotEqual(output[word], base[word], "variant \(index), word \(word)")
            }
        }
    }

    /// The stream layout documented in `RandomStream`: key = (seed low, seed high), counter =
    /// (block index, replicate, FNV-1a(name) low word, high word).
    func testStreamBlockUsesDocumentedCounterLayout() {
        let seed: UInt64 = 0x0123_4567_89ab_cdef
        let name = "claimbench/layout"
        let hash = StreamNameHash.fnv1a64(name)
        let stream = RandomStream(seed: seed, name: name, replicate: 3)
        for index: UInt32 in [0, 1, 7, 0xffff_fffe] {
            let expected = Philox4x32.block(
                counter: (index, 3, UInt32(truncatingIfNeeded: hash), UInt32(truncatingIfNeeded: hash >> 32)),
                key: (0x89ab_cdef, 0x0123_4567))
            XCTAssertEqual(Self.words(stream.block(index)), Self.words(expected), "block \(index)")
        }
    }
}
