namespace Sluice.Testing;

/// <summary>Marker for the shared test-support assembly.</summary>
internal static class TestingAssembly;
