namespace Sluice.Bpf;

/// <summary>What <c>BPF_PROG_TEST_RUN</c> reported.</summary>
/// <param name="ReturnValue">The program's return value (for tc: the TC_ACT_* verdict) of the last run.</param>
/// <param name="DurationNs">Average nanoseconds per run, as the kernel measured it (net/bpf/test_run.c).</param>
/// <param name="DataSizeOut">Size of the packet after the run (may exceed the dataOut buffer).</param>
/// <param name="ContextSizeOut">Size of the context after the run.</param>
public readonly record struct ProgramTestRunResult(uint ReturnValue, uint DurationNs, int DataSizeOut, int ContextSizeOut);
