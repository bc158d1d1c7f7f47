using System.Runtime.Versioning;

// sluiced drives eBPF, tc and unix sockets: it runs on Linux only.
[assembly: SupportedOSPlatform("linux")]
