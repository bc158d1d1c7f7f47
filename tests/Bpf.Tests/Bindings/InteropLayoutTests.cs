using System.Globalization;
using Sluice.Bpf.Interop;
using Sluice.Bpf.Tests.Support;

namespace Sluice.Bpf.Tests.Bindings;

/// <summary>
/// Proves the C# mirrors of libbpf's option structs match the installed headers: a C program prints
/// sizeof/offsetof from /usr/include/bpf, compiled with the same clang that builds the BPF objects.
/// libbpf reads the <c>sz</c> field to decide which fields a caller knows, so a wrong size is a silent bug.
/// </summary>
public sealed unsafe class InteropLayoutTests
{
    private static readonly Lazy<Dictionary<string, int>> CLayout = new(MeasureWithClang);

    [Fact]
    public void OpenOptions_MatchLibbpfHeader()
    {
        var o = default(BpfObjectOpenOptions);
        var b = (byte*)&o;
        Expect("bpf_object_open_opts", sizeof(BpfObjectOpenOptions));
        Expect("bpf_object_open_opts", BpfObjectOpenOptions.Size);
        Expect("bpf_object_open_opts.object_name", (byte*)&o.ObjectName - b);
        Expect("bpf_object_open_opts.relaxed_maps", &o.RelaxedMaps - b);
        Expect("bpf_object_open_opts.pin_root_path", (byte*)&o.PinRootPath - b);
        Expect("bpf_object_open_opts.kconfig", (byte*)&o.KernelConfig - b);
        Expect("bpf_object_open_opts.btf_custom_path", (byte*)&o.BtfCustomPath - b);
        Expect("bpf_object_open_opts.kernel_log_buf", (byte*)&o.KernelLogBuffer - b);
        Expect("bpf_object_open_opts.kernel_log_size", (byte*)&o.KernelLogSize - b);
        Expect("bpf_object_open_opts.kernel_log_level", (byte*)&o.KernelLogLevel - b);
    }

    [Fact]
    public void TestRunOptions_MatchLibbpfHeader()
    {
        var o = default(BpfTestRunOptions);
        var b = (byte*)&o;
        Expect("bpf_test_run_opts", sizeof(BpfTestRunOptions));
        Expect("bpf_test_run_opts.data_in", (byte*)&o.DataIn - b);
        Expect("bpf_test_run_opts.data_out", (byte*)&o.DataOut - b);
        Expect("bpf_test_run_opts.data_size_in", (byte*)&o.DataSizeIn - b);
        Expect("bpf_test_run_opts.data_size_out", (byte*)&o.DataSizeOut - b);
        Expect("bpf_test_run_opts.ctx_in", (byte*)&o.ContextIn - b);
        Expect("bpf_test_run_opts.ctx_out", (byte*)&o.ContextOut - b);
        Expect("bpf_test_run_opts.ctx_size_in", (byte*)&o.ContextSizeIn - b);
        Expect("bpf_test_run_opts.ctx_size_out", (byte*)&o.ContextSizeOut - b);
        Expect("bpf_test_run_opts.retval", (byte*)&o.ReturnValue - b);
        Expect("bpf_test_run_opts.repeat", (byte*)&o.Repeat - b);
        Expect("bpf_test_run_opts.duration", (byte*)&o.Duration - b);
        Expect("bpf_test_run_opts.flags", (byte*)&o.Flags - b);
        Expect("bpf_test_run_opts.cpu", (byte*)&o.Cpu - b);
        Expect("bpf_test_run_opts.batch_size", (byte*)&o.BatchSize - b);
    }

    [Fact]
    public void TcStructs_MatchLibbpfHeader()
    {
        var hook = default(BpfTcHook);
        var h = (byte*)&hook;
        Expect("bpf_tc_hook", sizeof(BpfTcHook));
        Expect("bpf_tc_hook.ifindex", (byte*)&hook.Ifindex - h);
        Expect("bpf_tc_hook.attach_point", (byte*)&hook.AttachPoint - h);
        Expect("bpf_tc_hook.parent", (byte*)&hook.Parent - h);
        Expect("BPF_TC_INGRESS", (int)BpfTcHook.AttachIngress);
        Expect("BPF_TC_EGRESS", (int)BpfTcHook.AttachEgress);

        var options = default(BpfTcOptions);
        var o = (byte*)&options;
        Expect("bpf_tc_opts", sizeof(BpfTcOptions));
        Expect("bpf_tc_opts.prog_fd", (byte*)&options.ProgramFd - o);
        Expect("bpf_tc_opts.flags", (byte*)&options.Flags - o);
        Expect("bpf_tc_opts.prog_id", (byte*)&options.ProgramId - o);
        Expect("bpf_tc_opts.handle", (byte*)&options.Handle - o);
        Expect("bpf_tc_opts.priority", (byte*)&options.Priority - o);
        Expect("BPF_TC_F_REPLACE", (int)BpfTcOptions.FlagReplace);
    }

    [Fact]
    public void BatchAndInfoStructs_MatchHeaders()
    {
        var batch = default(BpfMapBatchOptions);
        Expect("bpf_map_batch_opts", sizeof(BpfMapBatchOptions));
        Expect("bpf_map_batch_opts.elem_flags", (byte*)&batch.ElementFlags - (byte*)&batch);
        Expect("bpf_map_batch_opts.flags", (byte*)&batch.Flags - (byte*)&batch);

        var map = default(BpfMapInfo);
        var m = (byte*)&map;
        Expect("bpf_map_info.type", (byte*)&map.Type - m);
        Expect("bpf_map_info.id", (byte*)&map.Id - m);
        Expect("bpf_map_info.key_size", (byte*)&map.KeySize - m);
        Expect("bpf_map_info.value_size", (byte*)&map.ValueSize - m);
        Expect("bpf_map_info.max_entries", (byte*)&map.MaxEntries - m);
        Expect("bpf_map_info.name", map.Name - m);

        var program = default(BpfProgramInfo);
        Expect("bpf_prog_info.id", (byte*)&program.Id - (byte*)&program);
        Expect("bpf_prog_info.name", program.Name - (byte*)&program);
    }

    [Fact]
    public void SkbContextOffsets_MatchUapiHeader()
    {
        Expect("__sk_buff", SkbContext.Size);
        Expect("__sk_buff.mark", SkbContext.MarkOffset);
        Expect("__sk_buff.priority", SkbContext.PriorityOffset);
        Expect("__sk_buff.ingress_ifindex", SkbContext.IngressIfindexOffset);
        Expect("__sk_buff.ifindex", SkbContext.IfindexOffset);
        Expect("__sk_buff.cb", SkbContext.CbOffset);
        Expect("__sk_buff.tstamp", SkbContext.TimestampOffset);
        Expect("__sk_buff.wire_len", SkbContext.WireLengthOffset);
    }

    [Fact]
    public void MapTypeNumbers_MatchUapiHeader()
    {
        Expect("BPF_MAP_TYPE_HASH", (int)BpfMapType.Hash);
        Expect("BPF_MAP_TYPE_PERCPU_ARRAY", (int)BpfMapType.PercpuArray);
        Expect("BPF_MAP_TYPE_LRU_HASH", (int)BpfMapType.LruHash);
        Expect("BPF_MAP_TYPE_LPM_TRIE", (int)BpfMapType.LpmTrie);
        Expect("BPF_MAP_TYPE_RINGBUF", (int)BpfMapType.RingBuf);
        Expect("BPF_MAP_TYPE_USER_RINGBUF", (int)BpfMapType.UserRingBuf);
    }

    private static void Expect(string name, long actual)
    {
        Assert.True(CLayout.Value.TryGetValue(name, out var expected), $"the C probe did not print {name}");
        Assert.True(expected == actual, $"{name}: C says {expected}, C# says {actual}");
    }

    private static Dictionary<string, int> MeasureWithClang()
    {
        var directory = Directory.CreateTempSubdirectory("slc-layout-");
        try
        {
            var source = Path.Combine(directory.FullName, "layout.c");
            var binary = Path.Combine(directory.FullName, "layout");
            File.WriteAllText(source, Probe);
            Command.Run("clang", "-O0", "-o", binary, source);
            return Command.Run(binary)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .ToDictionary(parts => parts[0], parts => int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private const string Probe = """
        #include <stdio.h>
        #include <stddef.h>
        #include <bpf/libbpf.h>
        #include <bpf/bpf.h>
        #include <linux/bpf.h>
        #define S(t) printf(#t " %zu\n", sizeof(struct t));
        #define O(t, f) printf(#t "." #f " %zu\n", offsetof(struct t, f));
        #define V(c) printf(#c " %d\n", (int)(c));
        int main(void) {
            S(bpf_object_open_opts) O(bpf_object_open_opts, object_name) O(bpf_object_open_opts, relaxed_maps)
            O(bpf_object_open_opts, pin_root_path) O(bpf_object_open_opts, kconfig) O(bpf_object_open_opts, btf_custom_path)
            O(bpf_object_open_opts, kernel_log_buf) O(bpf_object_open_opts, kernel_log_size) O(bpf_object_open_opts, kernel_log_level)
            S(bpf_test_run_opts) O(bpf_test_run_opts, data_in) O(bpf_test_run_opts, data_out) O(bpf_test_run_opts, data_size_in)
            O(bpf_test_run_opts, data_size_out) O(bpf_test_run_opts, ctx_in) O(bpf_test_run_opts, ctx_out)
            O(bpf_test_run_opts, ctx_size_in) O(bpf_test_run_opts, ctx_size_out) O(bpf_test_run_opts, retval)
            O(bpf_test_run_opts, repeat) O(bpf_test_run_opts, duration) O(bpf_test_run_opts, flags)
            O(bpf_test_run_opts, cpu) O(bpf_test_run_opts, batch_size)
            S(bpf_tc_hook) O(bpf_tc_hook, ifindex) O(bpf_tc_hook, attach_point) O(bpf_tc_hook, parent)
            S(bpf_tc_opts) O(bpf_tc_opts, prog_fd) O(bpf_tc_opts, flags) O(bpf_tc_opts, prog_id) O(bpf_tc_opts, handle) O(bpf_tc_opts, priority)
            S(bpf_map_batch_opts) O(bpf_map_batch_opts, elem_flags) O(bpf_map_batch_opts, flags)
            O(bpf_map_info, type) O(bpf_map_info, id) O(bpf_map_info, key_size) O(bpf_map_info, value_size)
            O(bpf_map_info, max_entries) O(bpf_map_info, name)
            O(bpf_prog_info, id) O(bpf_prog_info, name)
            S(__sk_buff) O(__sk_buff, mark) O(__sk_buff, priority) O(__sk_buff, ingress_ifindex) O(__sk_buff, ifindex)
            O(__sk_buff, cb) O(__sk_buff, tstamp) O(__sk_buff, wire_len)
            V(BPF_TC_INGRESS) V(BPF_TC_EGRESS) V(BPF_TC_F_REPLACE)
            V(BPF_MAP_TYPE_HASH) V(BPF_MAP_TYPE_PERCPU_ARRAY) V(BPF_MAP_TYPE_LRU_HASH) V(BPF_MAP_TYPE_LPM_TRIE)
            V(BPF_MAP_TYPE_RINGBUF) V(BPF_MAP_TYPE_USER_RINGBUF)
            return 0;
        }
        """;
}
