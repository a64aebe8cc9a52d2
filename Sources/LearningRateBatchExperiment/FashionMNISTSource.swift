import Foundation
import ImageDatasets

/// The Fashion-MNIST training split as Debian's `dataset-fashion-mnist` installs it, read through
/// ImageDatasets (the one place that opens the files). A missing package is an error that says
/// which package to install.
///
/// Read once per process and kept: every `fashion-mnist` work unit subsamples the same split
/// (`LearningRateBatchUnits`), and decompressing it per unit would cost more than small units
/// themselves. A failed read is not kept, so the next unit reports it again.
enum FashionMNISTSource {
    typealias Images = (pixels: [UInt8], labels: [UInt8], side: Int)

    static func trainingImages() throws -> Images {
        try loaded.value {
            let images = try FashionMNIST.load(.train)
            precondition(images.rows == images.columns, "Fashion-MNIST images are square")
            return (images.pixels, images.labels, images.rows)
        }
    }

    private static let loaded = LoadedOnce<Images>()
}

/// A value computed at most once per process under a lock (a failure is not stored).
/// `@unchecked Sendable`: `stored` is only read or written while holding `lock`.
final class LoadedOnce<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func value(_ load: () throws -> Value) rethrows -> Value {
        try lock.withLock {
            if let stored { return stored }
            let value = try load()
            stored = value
            return value
        }
    }
}
