using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sluice.Daemon.Hosting;

/// <summary>
/// Re-runs the reconcile pass when its inputs change: policy directories and the endpoints file are
/// watched (FileSystemWatcher, debounced so an editor's write-rename-chmod burst is one pass), SIGHUP asks
/// for a reload (systemd's ExecReload), and a periodic pass picks up interfaces that appear or vanish
/// and anything a watcher missed.
/// </summary>
public sealed class ReconcileLoopService : BackgroundService
{
    /// <summary>Quiet time after the last file event before the pass runs.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    /// <summary>Interval of the periodic pass.</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(2);

    private readonly DaemonRuntime _runtime;
    private readonly ILogger<ReconcileLoopService> _logger;
    private readonly Channel<string> _triggers = Channel.CreateBounded<string>(new BoundedChannelOptions(1)
    {
        // One pending trigger is enough: the pass re-reads everything.
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly List<FileSystemWatcher> _watchers = [];
    private PosixSignalRegistration? _sighup;

    /// <summary>Creates the loop.</summary>
    public ReconcileLoopService(DaemonRuntime runtime, ILogger<ReconcileLoopService> logger)
    {
        _runtime = runtime;
        _logger = logger;
    }

    /// <summary>Asks for a pass (coalesced with any pending request).</summary>
    public void Trigger(string reason) => _triggers.Writer.TryWrite(reason);

    /// <inheritdoc/>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var dir in _runtime.Options.Policy.Dirs.Where(Directory.Exists))
        {
            Watch(dir, "*", includeSubdirectories: true);
        }

        string endpointsDir = Path.GetDirectoryName(_runtime.Options.EndpointsFile)!;
        if (Directory.Exists(endpointsDir))
        {
            Watch(endpointsDir, Path.GetFileName(_runtime.Options.EndpointsFile), includeSubdirectories: false);
        }

        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // Handled: SIGHUP means "reload", not the default "terminate".
            context.Cancel = true;
            Trigger("SIGHUP");
        });
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string reason;
            using (var resync = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                resync.CancelAfter(Resync);
                try
                {
                    reason = await _triggers.Reader.ReadAsync(resync.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    reason = "periodic resync";
                }
            }

            if (reason != "periodic resync" && reason != "SIGHUP")
            {
                // Let the burst of events from one save settle; later events of the burst coalesce.
                await Task.Delay(Debounce, stoppingToken).ConfigureAwait(false);
                _triggers.Reader.TryRead(out _);
            }

            try
            {
                await Task.Run(() => _runtime.Reconcile(reason), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A pass must never take the daemon down: the previous state stays enforced.
                DaemonLog.ApplyFailed(_logger, ex.ToString());
            }
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _sighup?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        base.Dispose();
    }

    private void Watch(string directory, string filter, bool includeSubdirectories)
    {
        var watcher = new FileSystemWatcher(directory, filter)
        {
            IncludeSubdirectories = includeSubdirectories,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => Trigger($"{e.FullPath} changed");
        watcher.Created += (_, e) => Trigger($"{e.FullPath} created");
        watcher.Deleted += (_, e) => Trigger($"{e.FullPath} deleted");
        watcher.Renamed += (_, e) => Trigger($"{e.FullPath} renamed");
        watcher.Error += (_, e) => Trigger("watcher overflow");
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }
}
