using System.CommandLine;
using System.Net;
using Sluice.Cli.Endpoints;
using Sluice.Cli.Tracing;
using Sluice.Policy.Diagnostics;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using Sluice.Policy.Parsing;
using Sluice.Policy.Trace;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice policy trace</c> (DESIGN §4.1): which rules allow or deny a connection and why. The source's
/// egress policy and the destination's ingress policy are evaluated over the given policy directory, like
/// <c>cilium policy trace</c>; the last line is <c>Final verdict: ALLOWED</c> or <c>Final verdict: DENIED</c>.
/// </summary>
internal static class PolicyTraceCommand
{
    /// <summary>Where the daemon reads policies by default (DESIGN §4.2 <c>policy.dirs</c>).</summary>
    public const string DefaultPolicyDirectory = "/etc/sluice/policies";

    /// <summary>Where the daemon reads endpoints by default (DESIGN §4.2 <c>endpointsFile</c>).</summary>
    public const string DefaultEndpointsFile = "/etc/sluice/endpoints.yaml";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var src = new Option<string>("--src") { Description = "Source labels k=v[,k=v] (app=x means k8s:app=x; reserved:world etc. for reserved identities)." };
        var srcIp = new Option<string>("--src-ip") { Description = "Source IP: an endpoint's address, an external prefix from the endpoints file, or the world." };
        var srcNamespace = new Option<string>("--src-namespace") { Description = "Namespace of a --src given by labels." };
        var dst = new Option<string>("--dst") { Description = "Destination labels k=v[,k=v]." };
        var dstIp = new Option<string>("--dst-ip") { Description = "Destination IP." };
        var dstNamespace = new Option<string>("--dst-namespace") { Description = "Namespace of a --dst given by labels." };
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace for --src/--dst labels that name none (default: default)." };
        var dport = new Option<string>("--dport") { Description = "Destination port and protocol, e.g. 80/TCP, 53/UDP, 8/ICMP (ICMP type). Without it only L3 rules are traced." };
        var policies = new Option<string[]>("--policies")
        {
            Description = $"Policy files or directories (default {DefaultPolicyDirectory}).",
            AllowMultipleArgumentsPerToken = true,
        };
        var endpoints = new Option<string>("--endpoints") { Description = $"Endpoints file (endpoints.yaml format) resolving --src-ip/--dst-ip (default {DefaultEndpointsFile} when it exists)." };

        var command = new Command("trace", "Explain the verdict for a connection: the source's egress and the destination's ingress, rule by rule.")
        {
            src, srcIp, srcNamespace, dst, dstIp, dstNamespace, ns, dport, policies, endpoints,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var request = new TraceRequest(
                parseResult.GetValue(src), parseResult.GetValue(srcIp), parseResult.GetValue(srcNamespace),
                parseResult.GetValue(dst), parseResult.GetValue(dstIp), parseResult.GetValue(dstNamespace),
                parseResult.GetValue(ns), parseResult.GetValue(dport), parseResult.GetValue(policies), parseResult.GetValue(endpoints));
            return Execute(request, output, error);
        });
        return command;
    }

    /// <summary>Runs a trace; prints it to <paramref name="output"/>, problems to <paramref name="error"/>; returns the exit code.</summary>
    public static int Execute(TraceRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if ((request.Source is null) == (request.SourceIp is null) || (request.Destination is null) == (request.DestinationIp is null))
        {
            error.WriteLine("error: give the source as --src LABELS or --src-ip IP, and the destination as --dst LABELS or --dst-ip IP (exactly one of each)");
            return SluiceCommandLine.ExitInvalid;
        }

        (byte Protocol, ushort Port) l4 = (IpProtocol.Any, 0);
        try
        {
            if (request.DestinationPort is not null)
            {
                l4 = PortArgument.Parse(request.DestinationPort);
            }
        }
        catch (FormatException e)
        {
            error.WriteLine($"error: --dport: {e.Message}");
            return SluiceCommandLine.ExitInvalid;
        }

        EndpointsFile? endpointsFile = null;
        string? endpointsPath = request.EndpointsFile ?? (File.Exists(DefaultEndpointsFile) ? DefaultEndpointsFile : null);
        if (endpointsPath is not null)
        {
            try
            {
                endpointsFile = EndpointsFile.Load(endpointsPath);
            }
            catch (EndpointsFileException e)
            {
                foreach (var diagnostic in e.Errors)
                {
                    error.WriteLine(diagnostic.ToString());
                }

                return SluiceCommandLine.ExitInvalid;
            }
        }

        var policyPaths = request.Policies is { Length: > 0 } given ? given : [DefaultPolicyDirectory];
        var missing = policyPaths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            foreach (var path in missing)
            {
                error.WriteLine($"{path}: error: no such file or directory (policies are read from --policies)");
            }

            return SluiceCommandLine.ExitInvalid;
        }

        var loaded = PolicyLoader.LoadPaths(policyPaths);
        if (loaded.HasErrors)
        {
            foreach (var diagnostic in loaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                error.WriteLine(diagnostic.ToString());
            }

            error.WriteLine("error: the policies have errors; fix them (see `sluice policy validate`) before tracing");
            return SluiceCommandLine.ExitInvalid;
        }

        var resolver = new TracePartyResolver(endpointsFile);
        TraceParty source, destination;
        try
        {
            source = Resolve(resolver, request.Source, request.SourceIp, request.SourceNamespace ?? request.Namespace, "--src");
            destination = Resolve(resolver, request.Destination, request.DestinationIp, request.DestinationNamespace ?? request.Namespace, "--dst");
        }
        catch (FormatException e)
        {
            error.WriteLine($"error: {e.Message}");
            return SluiceCommandLine.ExitInvalid;
        }

        foreach (var warning in loaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning))
        {
            error.WriteLine(warning.ToString());
        }

        var tracer = PolicyTracer.FromDocuments(loaded.Documents);
        var result = tracer.Trace(source, destination, l4.Port, l4.Protocol);
        output.Write(result.Render());
        return SluiceCommandLine.ExitOk;
    }

    private static TraceParty Resolve(TracePartyResolver resolver, string? labels, string? ip, string? @namespace, string option)
    {
        if (ip is not null)
        {
            if (!IPAddress.TryParse(ip, out var address) || ip.Contains('/', StringComparison.Ordinal))
            {
                throw new FormatException($"{option}-ip: '{ip}' is not an IPv4 or IPv6 address");
            }

            return resolver.FromAddress(address);
        }

        try
        {
            return resolver.FromLabels(LabelListArgument.Parse(labels!), @namespace);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{option}: {e.Message}", e);
        }
    }
}
