using System.Runtime.CompilerServices;

// Every native signature uses blittable types only; the runtime never marshals on our behalf.
[assembly: DisableRuntimeMarshalling]
