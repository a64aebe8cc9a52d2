import XCTest
@testable import HarnessCore

final class BitChecksumTests: XCTestCase {
    /// Words are fed least significant byte first, so a word equals the FNV-1a hash of its bytes
    /// in memory order on a little-endian machine; `StreamNameHash` is an independent FNV-1a.
    func testWordsAreFNV1aOfTheirLittleEndianBytes() {
        var four = BitChecksum()
        four.add(word: UInt32(0x6463_6261))  // "abcd"
        XCTAssertEqual(four.state, StreamNameHash.fnv1a64("abcd"))

        var eight = BitChecksum()
        eight.add(word: UInt64(0x6867_6665_6463_6261))  // "abcdefgh"
        XCTAssertEqual(eight.state, StreamNameHash.fnv1a64("abcdefgh"))
        XCTAssertEqual(BitChecksum().state, StreamNameHash.fnv1a64(""))
    }

    func testDoublesAndFloatsAreHashedByTheirBits() {
        var a = BitChecksum(), b = BitChecksum()
        a.add(1.5)
        b.add(word: 1.5.bitPattern)
        XCTAssertEqual(a, b)

        var float = BitChecksum(), floatBits = BitChecksum()
        float.add([Float(0.25), -3])
        floatBits.add(word: Float(0.25).bitPattern)
        floatBits.add(word: Float(-3).bitPattern)
        XCTAssertEqual(float, floatBits)

        // 0 and −0 compare equal as values but differ in their bits; order matters.
        var zero = BitChecksum(), negativeZero = BitChecksum()
        zero.add(0.0)
        negativeZero.add(-0.0)
        XCTAssertNotEqual(zero, negativeZero)
        var forward = BitChecksum(), backward = BitChecksum()
        forward.add([1.0, 2.0])
        backward.add([2.0, 1.0])
        XCTAssertNotEqual(forward, backward)
    }

    func testValueIsTheLow53BitsExactly() {
        var checksum = BitChecksum()
        checksum.add([0.1, 0.2, 0.3])
        XCTAssertEqual(UInt64(checksum.value), checksum.state & ((1 << 53) - 1))
        XCTAssertEqual(checksum.value, checksum.value.rounded())
    }
}
