import ClaimBenchCLI

ClaimBenchCommand.runMain()
