import ClaimBenchCLI

// OpenBLAS has chosen its core by now (at load time); BLASStartup may re-execute this program
// with another one, and must run before anything calls BLAS.
let arguments = BLASStartup.prepare(CommandLine.arguments)
ClaimBenchCommand.runMain(Array(arguments.dropFirst()))
