using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sluice.Api.Admin;
using Sluice.Daemon.Control;
using Sluice.Daemon.Hosting;
using Sluice.Policy.Identities;
using Sluice.Policy.Labels;
using Sluice.Policy.MapState;
using EnforcementMode = Sluice.Api.Admin.EnforcementMode;

namespace Sluice.Daemon.Api;

/// <summary>
/// Sluice's admin gRPC service (<c>sluice.admin.Admin</c>) beside observer.Observer on the unix socket:
/// what <c>sluice status</c>, <c>endpoint list</c>, <c>identity list</c> and <c>policy get</c> show. Every
/// answer is built from one published <see cref="DaemonSnapshot"/>, so it is self-consistent.
/// </summary>
public sealed class AdminService : Admin.AdminBase
{
    private readonly DaemonRuntime _runtime;

    /// <summary>Creates the service over the daemon's runtime state.</summary>
    public AdminService(DaemonRuntime runtime) => _runtime = runtime;

    /// <inheritdoc/>
    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context)
    {
        var snapshot = _runtime.Snapshot;
        var response = new StatusResponse
        {
            NodeName = _runtime.Options.NodeName,
            Version = DaemonRuntime.Version,
            StartedAt = Timestamp.FromDateTimeOffset(_runtime.StartedAt),
            PolicyRevision = snapshot.Revision,
            PolicyAppliedAt = snapshot.AppliedAt == default ? null : Timestamp.FromDateTimeOffset(snapshot.AppliedAt),
            PolicyEnforcement = _runtime.Options.Policy.Enforcement.ToString().ToLowerInvariant(),
            AuditMode = _runtime.Options.Policy.AuditMode,
            Healthy = _runtime.HealthProblem() is null,
        };
        response.Endpoints.AddRange(snapshot.Endpoints.Select(ToProto));
        response.RejectedFiles.AddRange(snapshot.Rejected.Select(r =>
        {
            var file = new RejectedFile { Path = r.Path, RejectedAt = Timestamp.FromDateTimeOffset(r.RejectedAt) };
            file.Errors.AddRange(r.Errors.Select(e => new FileError { Line = (uint)Math.Max(0, e.Line), Column = (uint)Math.Max(0, e.Column), Message = e.Message }));
            return file;
        }));
        response.Maps.AddRange(snapshot.Maps.Select(m => new MapUsage { Name = m.Name, Entries = (ulong)m.Entries, MaxEntries = (ulong)m.MaxEntries }));
        response.Losses.AddRange(_runtime.Losses().OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new LossCounter { Source = kv.Key, Lost = (ulong)kv.Value }));
        return Task.FromResult(response);
    }

    /// <inheritdoc/>
    public override Task<ListEndpointsResponse> ListEndpoints(ListEndpointsRequest request, ServerCallContext context)
    {
        var response = new ListEndpointsResponse();
        response.Endpoints.AddRange(_runtime.Snapshot.Endpoints.Select(ToProto));
        return Task.FromResult(response);
    }

    /// <inheritdoc/>
    public override Task<ListIdentitiesResponse> ListIdentities(ListIdentitiesRequest request, ServerCallContext context)
    {
        var snapshot = _runtime.Snapshot;
        var response = new ListIdentitiesResponse();
        foreach (var (id, identity) in snapshot.Identities.OrderBy(kv => kv.Key))
        {
            var proto = new Sluice.Api.Admin.Identity { Id = id, Kind = KindOf(identity) };
            proto.Labels.AddRange(identity.Labels.Select(l => l.ToString()));
            proto.Endpoints.AddRange(snapshot.Endpoints.Where(e => e.Identity == id).Select(e => e.Name));
            response.Identities.Add(proto);
        }

        return Task.FromResult(response);
    }

    /// <inheritdoc/>
    public override Task<GetPolicyResponse> GetPolicy(GetPolicyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = _runtime.Snapshot;
        var endpoints = snapshot.Endpoints.Where(e => request.Endpoint.Length == 0 || e.Name == request.Endpoint).ToList();
        if (request.Endpoint.Length > 0 && endpoints.Count == 0)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"no endpoint named '{request.Endpoint}'"));
        }

        var response = new GetPolicyResponse { Revision = snapshot.Revision };
        response.Policies.AddRange(snapshot.Policies.Select(p =>
        {
            var loaded = new LoadedPolicy { Name = p.Name, Namespace = p.Namespace, Kind = p.Kind, SourceFile = p.SourceFile };
            loaded.NotEnforced.AddRange(p.NotEnforced);
            return loaded;
        }));
        foreach (var e in endpoints)
        {
            var policy = new EndpointPolicy { Endpoint = e.Name, IngressEnforcement = Enforcement(e, e.Ingress), EgressEnforcement = Enforcement(e, e.Egress) };
            foreach (var (key, entry) in e.MapState.Entries)
            {
                var proto = new PolicyEntry
                {
                    Direction = key.Direction == TrafficDirection.Ingress ? "ingress" : "egress",
                    RemoteIdentity = key.RemoteIdentity,
                    Protocol = key.Protocol,
                    Port = key.PortLow,
                    EndPort = key.PortHigh,
                    Action = entry.Deny ? "deny" : "allow",
                    Audit = entry.Audit,
                };
                proto.Policies.AddRange(entry.Origins.Select(o => o.ToString()));
                policy.Entries.Add(proto);
            }

            response.Endpoints.Add(policy);
        }

        return Task.FromResult(response);
    }

    private static Sluice.Api.Admin.Endpoint ToProto(EndpointStatus e)
    {
        var proto = new Sluice.Api.Admin.Endpoint
        {
            Id = e.EndpointId,
            Name = e.Name,
            Namespace = e.Definition.Namespace,
            Interface = e.Definition.Interface,
            Ifindex = (uint)Math.Max(0, e.Ifindex),
            Identity = e.Identity,
            IngressEnforcement = Enforcement(e, e.Ingress),
            EgressEnforcement = Enforcement(e, e.Egress),
            Attached = e.Attached,
            PolicyEntries = (uint)e.PolicyEntries,
            PolicyRevision = e.DatapathRevision,
        };
        proto.Addresses.AddRange(e.Addresses.Select(a => a.ToString()));
        proto.Labels.AddRange(e.Definition.IdentityLabels.Select(l => l.ToString()));
        return proto;
    }

    private static EnforcementMode Enforcement(EndpointStatus e, EnforcementState state) => state switch
    {
        EnforcementState.Off => EnforcementMode.Disabled,
        _ when e.Audit => EnforcementMode.Audit,
        EnforcementState.AuditDefaultDeny => EnforcementMode.Audit,
        _ => EnforcementMode.Enforce,
    };

    private static string KindOf(Policy.Identities.Identity identity) =>
        identity.Id < IdentityScope.FirstLabelIdentity ? "reserved"
        : IdentityScope.IsLocal(identity.Id) ? "cidr"
        : identity.Prefix is not null ? "external"
        : identity.Labels.Any(l => l.Source == LabelSource.Kubernetes && l.Key == WellKnownLabels.PodNamespace) ? "endpoint"
        : "external";
}
