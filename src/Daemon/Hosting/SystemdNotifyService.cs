using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Sluice.Daemon.Hosting;

/// <summary>
/// sd_notify for sluiced: READY=1 once the host has started (programs attached and policy applied happen
/// before the host is even built, the sockets are listening by then), STOPPING=1 when stopping, and a
/// WATCHDOG=1 ping every half WatchdogSec for as long as the daemon is healthy — a stalled ring-buffer
/// reader, a failed pipeline stage or a hung reconcile pass withholds the ping, so systemd restarts it.
/// Talks to NOTIFY_SOCKET directly (SystemdNotifier), whoever the parent process is, as sd_notify does.
/// </summary>
public sealed class SystemdNotifyService : BackgroundService
{
    private readonly DaemonRuntime _runtime;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<SystemdNotifyService> _logger;
    private readonly SystemdNotifier _notifier = new();
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public SystemdNotifyService(DaemonRuntime runtime, IHostApplicationLifetime lifetime, ILogger<SystemdNotifyService> logger, TimeProvider time)
    {
        _runtime = runtime;
        _lifetime = lifetime;
        _logger = logger;
        _time = time;
    }

    /// <summary>
    /// The watchdog ping interval: half of WATCHDOG_USEC (as sd_watchdog_enabled advises), or null when
    /// systemd asked for no watchdog or WATCHDOG_PID names another process.
    /// </summary>
    public static TimeSpan? WatchdogInterval()
    {
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return ulong.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec / 2.0)
            : null;
    }

    /// <inheritdoc/>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _lifetime.ApplicationStarted.Register(() =>
        {
            var snapshot = _runtime.Snapshot;
            int attached = snapshot.Endpoints.Count(e => e.Attached);
            double elapsedMs = (_time.GetUtcNow() - _runtime.StartedAt).TotalMilliseconds;
            DaemonLog.Ready(_logger, attached, snapshot.Revision, elapsedMs);
            Notify("READY=1\nSTATUS=enforcing");
        });
        _lifetime.ApplicationStopping.Register(() =>
        {
            DaemonLog.Stopping(_logger);
            Notify("STOPPING=1");
        });
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (WatchdogInterval() is not { } interval)
        {
            return;
        }

        // Pings start once READY=1 is out: systemd arms the watchdog at READY for Type=notify units.
        var started = new TaskCompletionSource();
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        using var timer = new PeriodicTimer(interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (_runtime.HealthProblem() is { } problem)
            {
                DaemonLog.WatchdogWithheld(_logger, problem);
                continue;
            }

            Notify("WATCHDOG=1");
        }
    }

    private void Notify(string state)
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(new ServiceState(state));
        }
    }
}
