import Foundation

/// The fused implementation, the CPU analogue of FlashRNN's fused kernel (Sec. 3–4): each worker
/// owns a fixed set of (head, batch tile) work items and runs them through all T steps, so its
/// heads' R blocks (D × G_R·D each) stay resident in L1/L2 across steps; within a step, R·h (register-blocked SIMD8 accumulators over an R panel
/// of `columnTile` columns) and the gate nonlinearities happen in one pass over a small
/// accumulator tile that lives in L1, gates eight lanes at a time (`VectorPointwise`). No
/// allocation inside the time loop.
///
/// Heads and batch rows never interact, so work items write disjoint states; each output is
/// computed by one thread with a fixed summation order (k ascending), and the result is
/// bit-identical for every thread count.
public enum FusedForward {
    public static func run(_ problem: RNNProblem, plan: TilingPlan) -> RNNOutput<Float> {
        let shape = problem.shape
        var state = [Float](repeating: 0, count: shape.stateCount)
        var outputs = [Float](repeating: 0, count: shape.outputCount)
        let tilesPerHead = shape.batch / plan.batchTile
        let (batchTile, columnTile) = (plan.batchTile, plan.columnTile)
        problem.inputs.withUnsafeBufferPointer { wx in
            problem.recurrent.withUnsafeBufferPointer { r in
                problem.bias.withUnsafeBufferPointer { bias in
                    state.withUnsafeMutableBufferPointer { state in
                        outputs.withUnsafeMutableBufferPointer { outputs in
                            let buffers = Buffers(wx: wx.baseAddress!, r: r.baseAddress!, bias: bias.baseAddress!,
                                                  state: state.baseAddress!, outputs: outputs.baseAddress!)
                            DispatchQueue.concurrentPerform(iterations: plan.workers) { worker in
                                let first = worker * plan.itemsPerWorker
                                let last = min(first + plan.itemsPerWorker, plan.workItems)
                                guard first < last else { return }
                                let accumulator = UnsafeMutablePointer<Float>.allocate(capacity: plan.batchTile * shape.cell.recurrentGates * shape.headDim)
                                defer { accumulator.deallocate() }
                                // Time outer, the worker's items inner: Wx is read in step order
                                // (as the alternating pass reads it) and the worker's R blocks stay
                                // in cache across steps. Items never interact, so no barrier.
                                for t in 0..<shape.steps {
                                    for item in first..<last {
                                        step(t, shape: shape, batchTile: batchTile, columnTile: columnTile, head: item / tilesPerHead,
                                             batchStart: (item % tilesPerHead) * batchTile, buffers: buffers, accumulator: accumulator)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return RNNOutput(outputs: outputs, finalStates: state)
    }

    /// Raw pointers shared by the workers; each worker touches only its own heads and rows.
    struct Buffers: @unchecked Sendable {
        let wx: UnsafePointer<Float>, r: UnsafePointer<Float>, bias: UnsafePointer<Float>
        let state: UnsafeMutablePointer<Float>, outputs: UnsafeMutablePointer<Float>
    }

    /// One step of one head and batch tile.
    @inline(__always)
    static func step(
        _ t: Int, shape: RNNShape, batchTile: Int, columnTile: Int, head: Int, batchStart: Int, buffers: Buffers,
        accumulator: UnsafeMutablePointer<Float>
    ) {
        let cell = shape.cell, d = shape.headDim, hidden = shape.hidden, b = shape.batch
        let gateWidth = cell.recurrentGates * d
        let rHead = buffers.r + head * d * gateWidth
        let tile = batchTile
        do {
            // Ry tile = h[tile rows, head] · R_head, panel by panel so the panel stays in L1.
            var column = 0
            while column < gateWidth {
                let width = min(columnTile, gateWidth - column)
                for row in 0..<tile {
                    let h = buffers.state + (batchStart + row) * hidden + head * d
                    panelProduct(h: h, r: rHead + column, rowStride: gateWidth, depth: d, width: width,
                                 out: accumulator + row * gateWidth + column)
                }
                column += width
            }
            // Gates and state update straight from the accumulator tile.
            let wxStep = buffers.wx + t * b * cell.inputGates * hidden
            for row in 0..<tile {
                let batch = batchStart + row
                let element = head * d
                VectorPointwise.updateRow(
                    cell, count: d,
                    wx: wxStep + batch * cell.inputGates * hidden + element, wxStride: hidden,
                    ry: accumulator + row * gateWidth, ryStride: d,
                    bias: buffers.bias + element, biasStride: hidden,
                    state: buffers.state + batch * hidden + element, stateStride: b * hidden)
                (buffers.outputs + (t * b + batch) * hidden + head * d).update(from: buffers.state + batch * hidden + head * d, count: d)
            }
        }
    }

    /// out[0..<width] = Σ_k h[k] · r[k·rowStride + 0..<width], k ascending, in SIMD8 registers:
    /// four accumulators (32 columns) at a time, then one, then scalars.
    @inline(__always)
    static func panelProduct(h: UnsafePointer<Float>, r: UnsafePointer<Float>, rowStride: Int, depth: Int, width: Int, out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(r)
        let rowBytes = rowStride * MemoryLayout<Float>.stride
        var j = 0
        while j + 32 <= width {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var offset = j * MemoryLayout<Float>.stride
            for k in 0..<depth {
                let hk = SIMD8<Float>(repeating: h[k])
                a0 += hk * raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                a1 += hk * raw.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self)
                a2 += hk * raw.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self)
                a3 += hk * raw.loadUnaligned(fromByteOffset: offset + 96, as: SIMD8<Float>.self)
                offset += rowBytes
            }
            let o = UnsafeMutableRawPointer(out + j)
            o.storeBytes(of: a0, as: SIMD8<Float>.self)
            o.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
            o.storeBytes(of: a2, toByteOffset: 64, as: SIMD8<Float>.self)
            o.storeBytes(of: a3, toByteOffset: 96, as: SIMD8<Float>.self)
            j += 32
        }
        while j + 8 <= width {
            var a = SIMD8<Float>()
            var offset = j * MemoryLayout<Float>.stride
            for k in 0..<depth {
                a += SIMD8<Float>(repeating: h[k]) * raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                offset += rowBytes
            }
            UnsafeMutableRawPointer(out + j).storeBytes(of: a, as: SIMD8<Float>.self)
            j += 8
        }
        while j < width {
            var a: Float = 0
            for k in 0..<depth { a += h[k] * r[k * rowStride + j] }
            out[j] = a
            j += 1
        }
    }
}
