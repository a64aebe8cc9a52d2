/// The run's source of randomness: hands out independent named streams.
///
/// Stream `(seed, name, replicate)` uses Philox key = seed and counter =
/// (block index, replicate, FNV-1a(name) low word, high word). Distinct
/// (name, replicate) pairs therefore never share a counter, so streams never overlap while a
/// stream stays under 2^32 blocks (2^34 32-bit words).
public struct RandomStreams: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    public func stream(_ name: String, replicate: Int = 0) -> RandomStream {
        RandomStream(seed: seed, name: name, replicate: replicate)
    }
}

/// One named stream: a sequence of 32-bit words, and uniforms and normals derived from it.
///
/// Sequential draws (`nextUInt32`, `uniform`, `normal`) consume whole Philox blocks in order.
/// `uniform(at:)` and `normal(at:)` give random access by index for parallel fills; they use
/// the same mapping as the sequential `fillUniform` / `fillNormal`, so a buffer filled in
/// chunks on several threads equals the buffer filled in one go.
public struct RandomStream: Sendable {
    public let key: Philox4x32.Key
    public let replicate: UInt32
    public let nameHash: UInt64
    /// Next block to generate.
    private var blockIndex: UInt32 = 0
    private var buffer: Philox4x32.Counter = (0, 0, 0, 0)
    /// Words of `buffer` already used (4 = empty).
    private var used = 4

    public init(seed: UInt64, name: String, replicate: Int = 0) {
        precondition(replicate >= 0 && replicate <= Int(UInt32.max), "replicate \(replicate) out of range")
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        self.replicate = UInt32(replicate)
        nameHash = StreamNameHash.fnv1a64(name)
    }

    /// Philox block `index` of this stream.
    @inlinable
    public func block(_ index: UInt32) -> Philox4x32.Counter {
        Philox4x32.block(
            counter: (index, replicate, UInt32(truncatingIfNeeded: nameHash), UInt32(truncatingIfNeeded: nameHash >> 32)),
            key: key)
    }

    public mutating func nextUInt32() -> UInt32 {
        if used == 4 {
            precondition(blockIndex < UInt32.max, "random stream exhausted (2^32 blocks); split the work into more streams")
            buffer = block(blockIndex)
            blockIndex += 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    public mutating func nextUInt64() -> UInt64 {
        let low = UInt64(nextUInt32())
        return (UInt64(nextUInt32()) << 32) | low
    }

    /// A uniform double in the open interval (0, 1), with 53 random bits.
    public mutating func uniform() -> Double { Self.openUnit(nextUInt64()) }

    /// A uniform double between `lower` and `upper`. The unit draw is in the open interval
    /// (0, 1), but `lower + (upper − lower)·u` may round to either end point.
    public mutating func uniform(in lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * uniform() }

    /// A standard normal, by Box–Muller on two uniforms (both outputs of a pair are used in turn).
    public mutating func normal() -> Double {
        if let cached = cachedNormal {
            cachedNormal = nil
            return cached
        }
        let pair = Self.boxMuller(uniform(), uniform())
        cachedNormal = pair.1
        return pair.0
    }
    private var cachedNormal: Double?

    /// Maps 64 random bits to (0, 1): the top 53 bits `k` give (k + ½)·2⁻⁵³, rounded to a double.
    ///
    /// Below ½ that is exact. Above ½ doubles are 2⁻⁵³ apart, so the half rounds to even, and for
    /// k = 2⁵³ − 1 the result would round up to exactly 1; that one case is clamped to the
    /// largest double below 1, so the interval stays open (every other value is unchanged).
    @inlinable
    public static func openUnit(_ bits: UInt64) -> Double {
        Swift.min((Double(bits >> 11) + 0.5) * 0x1p-53, 0x1.fffffffffffffp-1)
    }

    /// Box–Muller: r = √(−2 ln u₁), θ = 2πu₂, (r cos θ, r sin θ), both N(0, 1) and independent.
    ///
    /// Through `PortableMath` rather than the C maths library, so the normals (and everything
    /// generated from them) are bit-identical on every IEEE-754 machine.
    @inlinable
    public static func boxMuller(_ u1: Double, _ u2: Double) -> (Double, Double) {
        let radius = (-2 * PortableMath.log(u1)).squareRoot()
        let (sine, cosine) = PortableMath.sinCosTwoPi(u2)
        return (radius * cosine, radius * sine)
    }

    /// Uniform number `index` of the indexed family: block `index / 2`, words 2(index % 2)…+1.
    public func uniform(at index: Int) -> Double {
        let b = block(UInt32(index / 2))
        let bits = index % 2 == 0 ? (UInt64(b.1) << 32 | UInt64(b.0)) : (UInt64(b.3) << 32 | UInt64(b.2))
        return Self.openUnit(bits)
    }

    /// Normal number `index` of the indexed family: Box–Muller on block `index / 2`.
    public func normal(at index: Int) -> Double {
        let b = block(UInt32(index / 2))
        let pair = Self.boxMuller(
            Self.openUnit(UInt64(b.1) << 32 | UInt64(b.0)),
            Self.openUnit(UInt64(b.3) << 32 | UInt64(b.2)))
        return index % 2 == 0 ? pair.0 : pair.1
    }

    /// Fills `buffer` with uniforms `start ..< start + buffer.count` of the indexed family.
    public func fillUniform(_ buffer: UnsafeMutableBufferPointer<Double>, startingAt start: Int = 0) {
        for i in 0..<buffer.count { buffer[i] = uniform(at: start + i) }
    }

    /// Fills `buffer` with normals `start ..< start + buffer.count` of the indexed family.
    public func fillNormal(_ buffer: UnsafeMutableBufferPointer<Double>, startingAt start: Int = 0) {
        for i in 0..<buffer.count { buffer[i] = normal(at: start + i) }
    }

    /// `count` uniforms of the indexed family, from index 0.
    public func uniforms(_ count: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            fillUniform(buffer)
            initialized = count
        }
    }

    /// `count` normals of the indexed family, from index 0.
    public func normals(_ count: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            fillNormal(buffer)
            initialized = count
        }
    }

    /// An unbiased integer in 0 ..< bound (Lemire's multiply-and-reject).
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = nextUInt64().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = nextUInt64().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// Fisher–Yates shuffle with this stream's integers (never the standard library's `shuffle()`).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, integer(below: i + 1))
        }
    }
}
