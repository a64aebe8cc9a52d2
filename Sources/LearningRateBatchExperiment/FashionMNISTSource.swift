import ImageDatasets

/// The Fashion-MNIST training split as Debian's `dataset-fashion-mnist` installs it, read through
/// ImageDatasets (the one place that opens the files). A missing package is an error that says
/// which package to install.
enum FashionMNISTSource {
    static func trainingImages() throws -> (pixels: [UInt8], labels: [UInt8], side: Int) {
        let images = try FashionMNIST.load(.train)
        precondition(images.rows == images.columns, "Fashion-MNIST images are square")
        return (images.pixels, images.labels, images.rows)
    }
}
