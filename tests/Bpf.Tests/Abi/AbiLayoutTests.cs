using System.Reflection;
using System.Runtime.CompilerServices;
using Sluice.Bpf.Abi;
using Xunit;

namespace Sluice.Bpf.Tests.Abi;

/// <summary>
/// Proves every C# mirror under src/Bpf/Abi has the size and member offsets of its C struct, as recorded in
/// the compiled object's BTF (so the check is against what clang actually laid out, not a copy of the header).
/// C padding members must be tiled exactly by the mirror's private padding fields.
/// </summary>
public sealed class AbiLayoutTests
{
    public static TheoryData<string> StructNames => new()
    {
        "sluice_flow", "sluice_endpoint", "sluice_ipcache_key", "sluice_ipcache_value", "sluice_policy_key",
        "sluice_policy_value", "sluice_ct_key", "sluice_ct_value", "sluice_counter", "sluice_config",
        "sluice_frag_key", "sluice_frag_value",
    };

    private static readonly Dictionary<string, (Type Mirror, int Size, (string CSharp, string C)[] Members)> Mirrors = new()
    {
        ["sluice_flow"] = (typeof(FlowRecord), FlowRecord.Size,
        [
            ("Version", "version"), ("EventType", "event_type"), ("Verdict", "verdict"), ("DropReason", "drop_reason"),
            ("Direction", "direction"), ("Family", "family"), ("Protocol", "protocol"), ("TimestampNs", "timestamp_ns"),
            ("FlowStartNs", "flow_start_ns"), ("IfIndex", "ifindex"), ("EndpointId", "endpoint_id"),
            ("SourceIdentity", "src_identity"), ("DestinationIdentity", "dst_identity"), ("SourceAddressBytes", "src_addr"),
            ("DestinationAddressBytes", "dst_addr"), ("SourcePort", "src_port"), ("DestinationPort", "dst_port"),
            ("TcpFlags", "tcp_flags"), ("TcpFlagsSeen", "tcp_flags_seen"), ("IcmpType", "icmp_type"), ("IcmpCode", "icmp_code"),
            ("IsReply", "is_reply"), ("MatchType", "match_type"), ("ConntrackState", "ct_state"), ("PolicyRef", "policy_ref"),
            ("PolicyRevision", "policy_revision"), ("SuppressedDrops", "suppressed_drops"), ("PacketsForward", "packets_fwd"),
            ("BytesForward", "bytes_fwd"), ("PacketsReverse", "packets_rev"), ("BytesReverse", "bytes_rev"),
        ]),
        ["sluice_endpoint"] = (typeof(EndpointEntry), EndpointEntry.Size,
        [
            ("Identity", "identity"), ("EndpointId", "endpoint_id"), ("PolicyMode", "policy_mode"),
            ("DefaultDeny", "enforce_flags"), ("ActiveSlot", "active_slot"), ("PolicyRevision", "policy_revision"),
        ]),
        ["sluice_ipcache_key"] = (typeof(IpcacheKey), IpcacheKey.Size,
            [("PrefixLength", "prefixlen"), ("Family", "family"), ("Address", "addr")]),
        ["sluice_ipcache_value"] = (typeof(IpcacheValue), IpcacheValue.Size, [("Identity", "identity")]),
        ["sluice_policy_key"] = (typeof(PolicyKey), PolicyKey.Size,
        [
            ("PrefixLength", "prefixlen"), ("EndpointId", "endpoint_id"), ("Slot", "slot"), ("Direction", "direction"),
            ("RemoteIdentity", "remote_identity"), ("Protocol", "protocol"), ("DestinationPortBigEndian", "dport_be"),
        ]),
        ["sluice_policy_value"] = (typeof(PolicyValue), PolicyValue.Size,
            [("Deny", "deny"), ("Audit", "audit"), ("PrefixLength", "prefixlen"), ("PolicyRef", "policy_ref")]),
        ["sluice_ct_key"] = (typeof(ConntrackKey), ConntrackKey.Size,
        [
            ("LocalAddress", "local_addr"), ("RemoteAddress", "remote_addr"), ("LocalPortBigEndian", "local_port_be"),
            ("RemotePortBigEndian", "remote_port_be"), ("EndpointId", "endpoint_id"), ("Protocol", "protocol"),
            ("Direction", "direction"), ("Family", "family"),
        ]),
        ["sluice_ct_value"] = (typeof(ConntrackValue), ConntrackValue.Size,
        [
            ("CreatedNs", "created_ns"), ("LastSeenNs", "last_seen_ns"), ("LastReportNs", "last_report_ns"),
            ("PacketsForward", "packets_fwd"), ("BytesForward", "bytes_fwd"), ("PacketsReverse", "packets_rev"),
            ("BytesReverse", "bytes_rev"), ("DropWindowNs", "drop_window_ns"), ("RemoteIdentity", "remote_identity"),
            ("PolicyRevision", "policy_revision"), ("PolicyRef", "policy_ref"), ("SuppressedDrops", "suppressed_drops"),
            ("DropsInWindow", "drops_in_window"), ("State", "state"), ("Verdict", "verdict"), ("DropReason", "drop_reason"),
            ("MatchType", "match_type"), ("TcpFlagsForward", "tcp_flags_fwd"), ("TcpFlagsReverse", "tcp_flags_rev"),
        ]),
        ["sluice_frag_key"] = (typeof(FragmentKey), FragmentKey.Size,
        [
            ("SourceAddress", "saddr"), ("DestinationAddress", "daddr"), ("Id", "id"), ("Protocol", "protocol"), ("Family", "family"),
        ]),
        ["sluice_frag_value"] = (typeof(FragmentValue), FragmentValue.Size,
        [
            ("SourcePortBigEndian", "sport_be"), ("DestinationPortBigEndian", "dport_be"), ("IcmpType", "icmp_type"),
            ("IcmpCode", "icmp_code"), ("IcmpKind", "icmp_kind"),
        ]),
        ["sluice_counter"] = (typeof(TrafficCounter), TrafficCounter.Size, [("Packets", "packets"), ("Bytes", "bytes")]),
        ["sluice_config"] = (typeof(DatapathConfig), DatapathConfig.Size,
        [
            ("AggregationIntervalNs", "aggregation_interval_ns"), ("TcpIdleNs", "tcp_idle_ns"), ("TcpCloseNs", "tcp_close_ns"),
            ("UdpIdleNs", "udp_idle_ns"), ("IcmpIdleNs", "icmp_idle_ns"), ("DropEventsPerSecond", "drop_events_per_sec"),
            ("NodeFlags", "node_flags"),
        ]),
    };

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Mirror_MatchesBtfLayout(string cName)
    {
        var (mirror, declaredSize, members) = Mirrors[cName];
        using var btf = Btf.ParseFile(BpfObject.Locate(DatapathMaps.ObjectFileName));
        var layout = btf.FindStruct(cName);
        Assert.NotNull(layout);

        Assert.Equal(layout.Size, declaredSize);
        Assert.Equal(layout.Size, SizeOf(mirror));

        var fields = mirror.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .ToDictionary(f => f.Name, f => (Offset: OffsetOf(mirror, f), Size: SizeOf(f.FieldType)));
        var mapped = members.ToDictionary(m => m.C, m => m.CSharp);
        var padding = fields.Where(f => f.Key.StartsWith("_pad", StringComparison.Ordinal)).ToList();

        foreach (var member in layout.Members)
        {
            Assert.Equal(0u, member.BitfieldSize);
            if (member.Name.StartsWith("pad", StringComparison.Ordinal))
            {
                // Explicit C padding must be tiled exactly by the mirror's private padding fields.
                var covering = padding.Where(p => p.Value.Offset >= member.ByteOffset && p.Value.Offset < member.ByteOffset + member.ByteSize).ToList();
                Assert.True(covering.Sum(p => p.Value.Size) == member.ByteSize, $"{cName}.{member.Name}: padding not mirrored");
                continue;
            }

            Assert.True(mapped.TryGetValue(member.Name, out var csharpName), $"{cName}.{member.Name} has no C# mirror field");
            var field = fields[csharpName];
            Assert.True(member.ByteOffset == field.Offset, $"{cName}.{member.Name}: C offset {member.ByteOffset}, C# {csharpName} at {field.Offset}");
            Assert.True(member.ByteSize == field.Size, $"{cName}.{member.Name}: C size {member.ByteSize}, C# {csharpName} is {field.Size}");
        }

        // Every public field of the mirror corresponds to a C member.
        var cNames = layout.Members.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(members, m => Assert.Contains(m.C, cNames));
        Assert.Equal(fields.Count - padding.Count, members.Length);
    }

    [Fact]
    public void CounterIndex_MatchesMapSize()
    {
        using var fixture = new Support.DatapathFixture();
        Assert.Equal((uint)TrafficCounterIndex.Count, fixture.Map(DatapathMaps.Counters).MaxEntries);
        Assert.Equal((uint)TrafficCounterIndex.Count - 1, TrafficCounterIndex.Of(DatapathDirection.Egress, FlowVerdict.Audit, (DropReason)255));
    }

    private static int SizeOf(Type type) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;

    private static int OffsetOf(Type type, FieldInfo field) =>
        (int)typeof(AbiLayoutTests).GetMethod(nameof(OffsetOfGeneric), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [field])!;

    // The managed offset, read from a boxed instance through the runtime's own field layout: write a marker
    // into the field via reflection and find where it landed in the raw bytes.
    private static int OffsetOfGeneric<T>(FieldInfo field)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        object boxed = default(T);
        var marker = MarkerFor(field.FieldType);
        field.SetValue(boxed, marker);
        var value = (T)boxed;
        var bytes = new byte[size];
        Unsafe.WriteUnaligned(ref bytes[0], value);
        var index = Array.FindIndex(bytes, b => b != 0);
        Assert.True(index >= 0, $"marker for {field.Name} not found");
        return index;
    }

    private static object MarkerFor(Type type)
    {
        if (type.IsEnum)
        {
            return Enum.ToObject(type, 1);
        }

        if (type == typeof(AddressBytes))
        {
            var address = new AddressBytes();
            address[0] = 1;
            return address;
        }

        return Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture);
    }
}
