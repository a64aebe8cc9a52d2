/// Element-wise tensor operations in the style of an eager framework (PyTorch without fusion):
/// every call makes one full pass over its operands and allocates a new array for its result.
/// `VanillaForward` writes the cell equations with these, as FlashRNN's vanilla PyTorch code does.
enum EagerOps {
    static func unary(_ a: [Float], _ f: (Float) -> Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, count in
            for i in 0..<a.count { out[i] = f(a[i]) }
            count = a.count
        }
    }

    static func binary(_ a: [Float], _ b: [Float], _ f: (Float, Float) -> Float) -> [Float] {
        precondition(a.count == b.count, "eager op: operand sizes differ")
        return [Float](unsafeUninitializedCapacity: a.count) { out, count in
            for i in 0..<a.count { out[i] = f(a[i], b[i]) }
            count = a.count
        }
    }

    static func add(_ a: [Float], _ b: [Float]) -> [Float] { binary(a, b, +) }
    static func multiply(_ a: [Float], _ b: [Float]) -> [Float] { binary(a, b, *) }
    static func maximum(_ a: [Float], _ b: [Float]) -> [Float] { binary(a, b) { Swift.max($0, $1) } }
    static func sigmoid(_ a: [Float]) -> [Float] { vectorUnary(a, VectorMath.sigmoid) { Float.sigmoid($0) } }
    static func tanh(_ a: [Float]) -> [Float] { vectorUnary(a, VectorMath.tanh) { Float.hyperbolicTangent($0) } }

    /// Eight lanes at a time with the fused kernel's vector functions (an eager framework's ops
    /// are vectorised too), the scalar function on the tail.
    static func vectorUnary(_ a: [Float], _ v: (SIMD8<Float>) -> SIMD8<Float>, _ f: (Float) -> Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, count in
            a.withUnsafeBufferPointer { a in
                var i = 0
                while i + 8 <= a.count {
                    VectorPointwise.store(v(VectorPointwise.load(a.baseAddress! + i)), out.baseAddress! + i)
                    i += 8
                }
                while i < a.count { out[i] = f(a[i]); i += 1 }
            }
            count = a.count
        }
    }
    static func exp(_ a: [Float]) -> [Float] { unary(a) { Float.exponential($0) } }
    static func logSigmoid(_ a: [Float]) -> [Float] { unary(a) { Float.logSigmoid($0) } }
    static func oneMinus(_ a: [Float]) -> [Float] { unary(a) { 1 - $0 } }
    static func atLeastOne(_ a: [Float]) -> [Float] { unary(a) { Swift.max($0, 1) } }
    static func subtract(_ a: [Float], _ b: [Float]) -> [Float] { binary(a, b, -) }
    static func divide(_ a: [Float], _ b: [Float]) -> [Float] { binary(a, b, /) }
    /// where(c == 0, a, b) element-wise.
    static func whereZero(_ c: [Float], _ a: [Float], _ b: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { out, count in
            for i in 0..<a.count { out[i] = c[i] == 0 ? a[i] : b[i] }
            count = a.count
        }
    }

    /// Gate `gate` of a [B][G][N·D] tensor starting at `offset`, copied out as [B][N·D].
    static func gate(_ tensor: [Float], offset: Int = 0, gate: Int, gates: Int, batch: Int, hidden: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: batch * hidden) { out, count in
            for b in 0..<batch {
                for i in 0..<hidden { out[b * hidden + i] = tensor[offset + (b * gates + gate) * hidden + i] }
            }
            count = batch * hidden
        }
    }

    /// Bias gate `gate` of a [G][N·D] vector, broadcast over the batch as [B][N·D].
    static func broadcastBias(_ bias: [Float], gate: Int, batch: Int, hidden: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: batch * hidden) { out, count in
            for b in 0..<batch {
                for i in 0..<hidden { out[b * hidden + i] = bias[gate * hidden + i] }
            }
            count = batch * hidden
        }
    }
}
