using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Connections;

internal sealed partial class MemcachedNode
{
    /// <summary>Starts a probe in the background unless one ran within the probe interval (a no-op while the node is up).</summary>
    public void RequestProbe()
    {
        if (IsDown)
        {
            TriggerProbe();
        }
    }

    /// <summary>Starts a probe in the background unless one ran within the probe interval.</summary>
    private void TriggerProbe()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastProbe);
        if ((last != 0 && _time.GetElapsedTime(last, now) < _settings.ProbeInterval) || _disposed.IsCancellationRequested)
        {
            return;
        }

        if (Interlocked.Exchange(ref _probing, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _lastProbe, now);
        _ = Task.Run(async () =>
        {
            try
            {
                await ProbeAsync().ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _probing, 0);
            }
        });
    }

    /// <summary>
    /// Tries to bring a down node back: connect, handshake, then re-admit it if its uptime proves it restarted
    /// while it was down, else after flushing it. Answers whether the node is up afterwards.
    /// </summary>
    internal async Task<bool> ProbeAsync()
    {
        // One probe at a time, whoever starts it (a call's demand, the store's loop, a test): two probes would both
        // re-admit, and both flush.
        await _probeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await ProbeOnceAsync().ConfigureAwait(false);
        }
        finally
        {
            _probeGate.Release();
        }
    }

    private async Task<bool> ProbeOnceAsync()
    {
        if (!IsDown)
        {
            return true;
        }

        MemcachedConnection? connection = null;
        try
        {
            (connection, var info) = await OpenAsync().ConfigureAwait(false);
            double downSeconds;
            lock (_gate)
            {
                downSeconds = _time.GetElapsedTime(_downSince).TotalSeconds;
            }

            // A restart proves the node holds nothing from before: either another process answers than the one this
            // node last talked to, or its uptime is clearly shorter than the outage (memcached counts whole seconds).
            var previous = Info;
            var otherProcess = previous is not null && previous.ProcessId != 0 && info.ProcessId != 0 && previous.ProcessId != info.ProcessId;
            if (otherProcess || info.UptimeSeconds + 1 < downSeconds)
            {
                _logger.ReadmittedRestarted(Endpoint, downSeconds, info.UptimeSeconds);
            }
            else if (_settings.FlushOnReadmission && (Readmission is null || await NeedsFlushAsync().ConfigureAwait(false)))
            {
                using var timeout = new CancellationTokenSource(_settings.ConnectTimeout, _time);
                var flush = MemcachedRequest.Command("flush_all", MetaReplyShape.Ok);
                connection.Enqueue(flush);
                try
                {
                    await flush.Completion.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (MemcachedServerException ex)
                {
                    // For instance memcached -F (flush_all disabled).
                    _logger.ReadmissionRefused(Endpoint, ex.Message);
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return false;
                }

                Interlocked.Increment(ref _flushes);
                _logger.ReadmittedFlushed(Endpoint, downSeconds, info.UptimeSeconds);
                if (Readmission is not null)
                {
                    using var cleanup = new CancellationTokenSource(_settings.ConnectTimeout, _time);
                    await Readmission.FlushedAsync(this, cleanup.Token).ConfigureAwait(false);
                }
            }
            else
            {
                _logger.ReadmittedUnchanged(Endpoint, downSeconds);
            }

            lock (_gate)
            {
                if (_state == MemcachedNodeState.Down && !_disposed.IsCancellationRequested)
                {
                    Adopt(connection, info);
                    return true;
                }
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return !IsDown;
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException or OperationCanceledException or IOException)
        {
            _logger.ProbeFailed(ex, Endpoint);
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            return false;
        }
    }

    /// <summary>
    /// Reads a key (without its value) even while this node is marked down, over a connection of its own that is closed
    /// afterwards; the node stays down. For deciding about another node's re-admission.
    /// </summary>
    public async Task<MetaStatus> PeekAsync(byte[] key, CancellationToken cancellationToken)
    {
        if (!IsDown)
        {
            return (await GetAsync(key, MetaGetFlags.None, 0, cancellationToken).ConfigureAwait(false)).Status;
        }

        var (connection, _) = await OpenAsync().ConfigureAwait(false);
        try
        {
            var request = MemcachedRequest.Get(key, MetaGetFlags.None, 0, NextOpaque());
            connection.Enqueue(request);
            return (await request.Completion.WaitAsync(_settings.OperationTimeout, _time, cancellationToken).ConfigureAwait(false)).Status;
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> NeedsFlushAsync()
    {
        using var timeout = new CancellationTokenSource(_settings.ConnectTimeout, _time);
        return await Readmission!.NeedsFlushAsync(this, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Connects and runs the handshake: <c>version</c> (at least 1.6.18), <c>stats settings</c> (<c>item_size_max</c>), <c>stats</c> (uptime).</summary>
    private async Task<(MemcachedConnection Connection, MemcachedServerInfo Info)> OpenAsync()
    {
        using var timeout = new CancellationTokenSource(_settings.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposed.Token);
        MemcachedConnection? connection = null;
        try
        {
            connection = await MemcachedConnection.ConnectAsync(Host, Port, Endpoint, MetaReaderLimits.Default, _settings.DeadAfter, _time, _logger, linked.Token).ConfigureAwait(false);
            var version = MemcachedRequest.Command("version", MetaReplyShape.Version);
            var settings = MemcachedRequest.Command("stats settings", MetaReplyShape.Stats);
            var stats = MemcachedRequest.Command("stats", MetaReplyShape.Stats);
            connection.Enqueue(version);
            connection.Enqueue(settings);
            connection.Enqueue(stats);
            var versionText = (await version.Completion.WaitAsync(linked.Token).ConfigureAwait(false)).Text ?? "";
            var settingsReply = MemcachedStats.Parse((await settings.Completion.WaitAsync(linked.Token).ConfigureAwait(false)).Text);
            var statsReply = MemcachedStats.Parse((await stats.Completion.WaitAsync(linked.Token).ConfigureAwait(false)).Text);
            if (!MemcachedStats.TryParseVersion(versionText, out var parsed) || parsed < MemcachedNodeSettings.MinimumServerVersion)
            {
                throw new MemcachedConnectionException($"memcached {Endpoint} is version '{versionText}'; Stickless needs {MemcachedNodeSettings.MinimumServerVersion} or newer (meta protocol with HD replies, opaque on EN, working md C).") { Node = Endpoint };
            }

            var itemSizeMax = MemcachedStats.GetInt64(settingsReply, "item_size_max", MetaReaderLimits.Default.MaxValueLength);
            var info = new MemcachedServerInfo(versionText, itemSizeMax, MemcachedStats.GetInt64(statsReply, "uptime"), MemcachedStats.GetInt64(statsReply, "pid"));
            connection.Limits = MetaReaderLimits.Default with { MaxValueLength = (int)Math.Min(itemSizeMax, int.MaxValue - 64) };
            _logger.Connected(Endpoint, versionText, itemSizeMax, info.UptimeSeconds);
            return (connection, info);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw new MemcachedTimeoutException($"Connecting to memcached {Endpoint} took longer than {_settings.ConnectTimeout.TotalMilliseconds:F0} ms.", ex) { Node = Endpoint };
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
