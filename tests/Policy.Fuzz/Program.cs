using SharpFuzz;
using Sluice.Policy.Fuzz;

// Modes (docs/fuzzing.md):
//   (no arguments)       AFL / afl-fuzz over an instrumented Sluice.Policy.dll (SharpFuzz out-of-process mode)
//   --libfuzzer          libFuzzer protocol, driven by a libfuzzer-dotnet driver
//   --replay PATH...     run saved inputs (files or directories) once each, without a fuzzer; exit 1 on a finding
if (args.Length > 0 && args[0] == "--libfuzzer")
{
    Fuzzer.LibFuzzer.Run(PolicyParseTarget.Run);
    return 0;
}

if (args.Length > 0 && args[0] == "--replay")
{
    int findings = 0, inputs = 0;
    foreach (var path in args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]))
    {
        inputs++;
        try
        {
            PolicyParseTarget.Run(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            findings++;
            Console.Error.WriteLine($"{path}: {e.GetType().Name}: {e.Message}");
        }
    }

    Console.WriteLine($"{inputs} inputs replayed, {findings} findings");
    return findings == 0 ? 0 : 1;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    PolicyParseTarget.Run(buffer.ToArray());
});
return 0;
