/// A checksum of generated inputs that is the same on every machine: 64-bit FNV-1a over the
/// IEEE-754 bit patterns of the values, fed byte by byte from the least significant byte.
///
/// Integer arithmetic only, over bits rather than values, so it never goes through BLAS,
/// floating-point rounding or the C maths library: two data sets get the same checksum exactly
/// when they are bit-identical (up to FNV collisions). `value` keeps the low 53 bits so that a
/// `Double` metric holds it exactly (an `exact` metric in the run record).
public struct BitChecksum: Sendable, Equatable {
    public private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Feeds the 8 bytes of `word`, least significant first.
    public mutating func add(word: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            state ^= (word >> UInt64(shift)) & 0xFF
            state = state &* 0x0000_0100_0000_01b3
        }
    }

    /// Feeds the 4 bytes of `word`, least significant first.
    public mutating func add(word: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) {
            state ^= UInt64((word >> UInt32(shift)) & 0xFF)
            state = state &* 0x0000_0100_0000_01b3
        }
    }

    public mutating func add(_ value: Double) { add(word: value.bitPattern) }
    public mutating func add(_ value: Float) { add(word: value.bitPattern) }

    public mutating func add<C: Sequence>(_ values: C) where C.Element == Double {
        for value in values { add(value) }
    }

    public mutating func add<C: Sequence>(_ values: C) where C.Element == Float {
        for value in values { add(value) }
    }

    /// The low 53 bits of the state, exactly representable as a Double.
    public var value: Double { Double(state & ((1 << 53) - 1)) }
}
