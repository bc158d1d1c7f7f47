using System.Runtime.Versioning;

// The daemon and its end-to-end tests use network namespaces, tc and bpffs: Linux only.
[assembly: SupportedOSPlatform("linux")]
