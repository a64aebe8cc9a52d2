import Foundation
import HarnessCore
import LinearAlgebra

/// What the executable does before any command touches BLAS (called from main.swift): take
/// the global `--blas-core` out of the arguments, choose the OpenBLAS core
/// (`BLASCoreSelection.decide`), re-execute itself once when the core must change (OpenBLAS
/// reads `OPENBLAS_CORETYPE` only at load time), record the choice for the fingerprint, and
/// verify the core with a known-answer dgemm. It also applies `CLAIMBENCH_ISA`, the forced path of
/// the C vector kernels (`VectorISA`), refusing one this CPU cannot run.
public enum BLASStartup {
    /// Returns the arguments for the command parser (without `--blas-core`), or does not return:
    /// it re-executes the process, or exits 64 on a core or vector ISA path that cannot be used,
    /// 1 on a wrong result.
    public static func prepare(_ arguments: [String]) -> [String] {
        do { try VectorISA.applyEnvironment(ProcessInfo.processInfo.environment) } catch {
            printError("error: \(error)")
            exit(ExitStatus.usage.rawValue)
        }
        let (option, remaining): (String?, [String])
        do { (option, remaining) = try extractCoreOption(arguments) } catch {
            printError("error: \(error)")
            exit(ExitStatus.usage.rawValue)
        }
        let environment = ProcessInfo.processInfo.environment
        let inputs = BLASCoreSelection.Inputs(
            cpu: .current(), loadedCore: BLASRuntime.activeCoreName, dynamicArch: BLASRuntime.isDynamicArch, option: option,
            environmentCore: environment["OPENBLAS_CORETYPE"].flatMap { $0.isEmpty ? nil : $0 },
            marker: environment[BLASCoreSelection.markerVariable])
        // The marker is for this process only; children (gnuplot, git, a nested claimbench) must not inherit it.
        unsetenv(BLASCoreSelection.markerVariable)
        switch BLASCoreSelection.decide(inputs) {
        case .refuse(let message):
            printError("error: \(message)")
            exit(ExitStatus.usage.rawValue)
        case .fail(let message):
            printError("error: \(message)")
            exit(ExitStatus.runFailed.rawValue)
        case .reexecute(let core, let choice):
            if choice == .selectedByClaimBench {
                printError(
                    "note: OpenBLAS chose its \(inputs.loadedCore) core; this CPU runs \(core.rawValue), which ClaimBench selects"
                        + " (OPENBLAS_CORETYPE or --blas-core choose another)")
            }
            reexecute(arguments, core: core, choice: choice)
            // exec failed: carry on with the loaded core, and say so in the record.
            printError("warning: could not re-execute with OPENBLAS_CORETYPE=\(core.rawValue) (\(String(cString: strerror(errno))));"
                + " running OpenBLAS core \(inputs.loadedCore)")
            unsetenv("OPENBLAS_CORETYPE")
            BLASRuntime.recordSelection(BLASCoreSelection(choice: .native, requested: nil))
        case .proceed(let selection):
            BLASRuntime.recordSelection(selection)
            if selection.choice != .environment, let requested = selection.requested,
               requested.lowercased() != inputs.loadedCore.lowercased()
            {
                printError("warning: OpenBLAS runs core \(inputs.loadedCore), not the \(requested) ClaimBench selected")
            }
        }
        if let wrong = KnownAnswerGEMM.verify() {
            printError(
                "error: OpenBLAS core \(BLASRuntime.activeCoreName) computes a wrong dgemm (\(wrong)); choose another core with"
                    + " --blas-core (supported here: \(BLASCore.supported(by: .current()).map(\.rawValue).joined(separator: ", ")))")
            exit(ExitStatus.runFailed.rawValue)
        }
        return remaining
    }

    /// Splits off every `--blas-core <name>` / `--blas-core=<name>` before a `--` (the last one
    /// wins): the option is global, so it may stand before the subcommand, where the parser
    /// would not accept it.
    static func extractCoreOption(_ arguments: [String]) throws -> (String?, [String]) {
        var option: String?
        var remaining: [String] = []
        var index = arguments.startIndex
        var literal = false
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if literal || index == 1 { remaining.append(argument); continue }  // arguments[0] is the program
            if argument == "--" { literal = true; remaining.append(argument); continue }
            if argument == "--blas-core" {
                guard index < arguments.endIndex else { throw CLIError("--blas-core needs a core name", status: .usage) }
                option = arguments[index]
                index += 1
            } else if argument.hasPrefix("--blas-core=") {
                option = String(argument.dropFirst("--blas-core=".count))
            } else {
                remaining.append(argument)
            }
        }
        return (option, remaining)
    }

    /// Replaces this process by /proc/self/exe with the same arguments, `OPENBLAS_CORETYPE=core`
    /// and the marker that stops a second re-execution. Returns only when exec fails.
    private static func reexecute(_ arguments: [String], core: BLASCore, choice: PlatformFingerprint.BLAS.CoreChoice) {
        setenv("OPENBLAS_CORETYPE", core.rawValue, 1)
        setenv(BLASCoreSelection.markerVariable, BLASCoreSelection.marker(core, choice), 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        fflush(nil)  // every C stream: nothing buffered may be lost or printed twice
        execv("/proc/self/exe", argv)
        let failure = errno
        for pointer in argv { free(pointer) }
        unsetenv(BLASCoreSelection.markerVariable)
        errno = failure
    }
}
