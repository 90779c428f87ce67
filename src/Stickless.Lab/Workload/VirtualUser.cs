namespace Stickless.Lab.Workload;

/// <summary>
/// One simulated person: signs up, signs in, then reads far more than it writes until the run
/// ends, judging every answer with its <see cref="ShadowSession"/>. Requests are sequential, so
/// the model never has to reason about two of its own requests in flight.
/// </summary>
internal sealed class VirtualUser : IDisposable
{
    private readonly FestaClient _client;
    private readonly WorkloadOptions _options;
    private readonly WorkloadRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ShadowSession _model = new();
    private readonly int _index;
    private IReadOnlyList<string> _catalogue = [];
    private string? _homeNode;
    private bool _signedUp;

    /// <summary>Creates user number <paramref name="index"/> of a run.</summary>
    public VirtualUser(int index, Uri frontend, WorkloadOptions options, WorkloadRecorder recorder, TimeProvider time)
    {
        Name = $"u{options.RunId}-{index}";
        _index = index;
        _options = options;
        _recorder = recorder;
        _time = time;
        _random = new Random(HashCode.Combine(options.Seed, index));
        _client = new FestaClient(frontend, options.RequestTimeout, options.SignInTimeout, options.ConnectionLifetime, time);
    }

    /// <summary>The user name this user signed up with.</summary>
    public string Name { get; }

    /// <summary>Every latency this user measured (read after the run).</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>How many times this user, signed in, was answered as anonymous during the run.</summary>
    public int SessionsLost { get; private set; }

    /// <summary>True while the user believes it is signed in.</summary>
    public bool SignedIn => _model.SignedIn;

    /// <summary>The node that last answered this signed-in user as signed in; null before.</summary>
    public string? HomeNode => Volatile.Read(ref _homeNode);

    /// <summary>Signs up, reads the catalogue and signs in; false if any of it failed.</summary>
    public async Task<bool> WarmUpAsync(CancellationToken ct)
    {
        if (!await SignUpAsync(ct).ConfigureAwait(false))
        {
            return false;
        }

        var events = await _client.GetEventsAsync(ct).ConfigureAwait(false);
        Observe(events);
        _catalogue = events.Value is { Count: > 0 } ids ? ids : [.. Enumerable.Range(1, 10).Select(static i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        return await SignInAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Runs the read-mostly loop while <paramref name="keepGoing"/> says so; signs in again after every lost session.</summary>
    public async Task RunAsync(Func<bool> keepGoing, CancellationToken ct)
    {
        while (keepGoing() && !ct.IsCancellationRequested)
        {
            bool ok;
            if (!_signedUp)
            {
                ok = await SignUpAsync(ct).ConfigureAwait(false);
            }
            else if (!_model.SignedIn)
            {
                ok = await SignInAsync(ct).ConfigureAwait(false);
            }
            else if (_random.NextDouble() < _options.WriteFraction)
            {
                ok = await WriteAsync(ct).ConfigureAwait(false);
            }
            else
            {
                ok = await ReadAsync(ct).ConfigureAwait(false);
            }

            if (!ok && keepGoing())
            {
                await Task.Delay(_options.ErrorBackoff, _time, ct).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async Task<bool> SignUpAsync(CancellationToken ct)
    {
        var signUp = await _client.SignUpAsync(Name, _options.Password, ct).ConfigureAwait(false);
        Observe(signUp);

        // 409: an earlier attempt that timed out was committed after all; the name is ours.
        _signedUp = signUp.Outcome == FestaOutcome.Ok || signUp.StatusCode == 409;
        return _signedUp;
    }

    private async Task<bool> SignInAsync(CancellationToken ct)
    {
        var login = await _client.LogInAsync(Name, _options.Password, ct).ConfigureAwait(false);
        Observe(login);
        if (login.Outcome != FestaOutcome.Ok)
        {
            return false;
        }

        _model.OnSignedIn();
        Volatile.Write(ref _homeNode, login.ServedBy);
        return true;
    }

    private Task<bool> ReadAsync(CancellationToken ct)
    {
        var pick = _random.Next(100);
        return pick switch
        {
            < 40 => ReadMeAsync(ct),
            < 75 => ReadWishlistAsync(ct),
            _ => ReadEventsAsync(ct),
        };
    }

    private Task<bool> WriteAsync(CancellationToken ct)
    {
        var pick = _random.Next(100);
        var expected = _model.ExpectedWishlist;
        return pick switch
        {
            < 40 => IncrementCounterAsync(ct),
            < 75 => AddToWishlistAsync(RandomEvent(), ct),
            _ when expected.Count > 0 => RemoveFromWishlistAsync(expected.ElementAt(_random.Next(expected.Count)), ct),
            _ => AddToWishlistAsync(RandomEvent(), ct),
        };
    }

    private async Task<bool> ReadMeAsync(CancellationToken ct)
    {
        var liveness = await ProbeAsync(ct).ConfigureAwait(false);
        return liveness != Liveness.Unknown;
    }

    private async Task<bool> ReadEventsAsync(CancellationToken ct)
    {
        var events = await _client.GetEventsAsync(ct).ConfigureAwait(false);
        Observe(events);
        return !events.IsError;
    }

    private async Task<bool> ReadWishlistAsync(CancellationToken ct)
    {
        var read = await _client.GetWishlistAsync(ct).ConfigureAwait(false);
        Observe(read);
        if (read.Outcome == FestaOutcome.Unauthorized)
        {
            Record(_model.OnAnonymous());
            return true;
        }

        if (read.Outcome != FestaOutcome.Ok || read.Value is null)
        {
            return false;
        }

        // A disagreement is only judged on a session known to be alive, so that a lost session
        // is counted once, as such, and not also as a stale read.
        if (_model.WishlistDisagrees(read.Value) && await ProbeAsync(ct).ConfigureAwait(false) != Liveness.SignedIn)
        {
            return true;
        }

        Record(_model.OnWishlistRead(read.Value));
        return true;
    }

    private async Task<bool> IncrementCounterAsync(CancellationToken ct)
    {
        var write = await _client.IncrementCounterAsync(ct).ConfigureAwait(false);
        Observe(write);
        if (write.Outcome == FestaOutcome.Unauthorized)
        {
            Record(_model.OnAnonymous());
            return true;
        }

        if (write.Outcome != FestaOutcome.Ok || write.Value < 0)
        {
            // No answer: the increment may have been committed; a later, higher value is adopted.
            return false;
        }

        if (_model.CounterDisagrees(write.Value) && await ProbeAsync(ct).ConfigureAwait(false) != Liveness.SignedIn)
        {
            return true;
        }

        Record(_model.OnCounterAcknowledged(write.Value));
        return true;
    }

    private async Task<bool> AddToWishlistAsync(string eventId, CancellationToken ct)
    {
        var write = await _client.AddToWishlistAsync(eventId, ct).ConfigureAwait(false);
        return ObserveWishlistWrite(write, eventId, present: true);
    }

    private async Task<bool> RemoveFromWishlistAsync(string eventId, CancellationToken ct)
    {
        var write = await _client.RemoveFromWishlistAsync(eventId, ct).ConfigureAwait(false);
        return ObserveWishlistWrite(write, eventId, present: false);
    }

    private bool ObserveWishlistWrite(FestaResponse<bool> write, string eventId, bool present)
    {
        Observe(write);
        switch (write.Outcome)
        {
            case FestaOutcome.Ok:
                _model.OnWishlistWritten(eventId, present);
                return true;
            case FestaOutcome.Unauthorized:
                Record(_model.OnAnonymous());
                return true;
            case FestaOutcome.Rejected:
                return false;
            default:
                _model.OnWishlistWriteFailed(eventId);
                return false;
        }
    }

    /// <summary><c>GET /me</c>: is this session still signed in as this user?</summary>
    private async Task<Liveness> ProbeAsync(CancellationToken ct)
    {
        var me = await _client.GetMeAsync(ct).ConfigureAwait(false);
        Observe(me);
        switch (me.Outcome)
        {
            case FestaOutcome.Ok when string.Equals(me.Value, Name, StringComparison.Ordinal):
                Volatile.Write(ref _homeNode, me.ServedBy);
                return Liveness.SignedIn;
            case FestaOutcome.Ok:
                // Another user's name: never acceptable. Count it and start over with a fresh sign-in.
                _recorder.RecordWrongUser();
                _model.OnAnonymous();
                return Liveness.Anonymous;
            case FestaOutcome.Unauthorized:
                Record(_model.OnAnonymous());
                return Liveness.Anonymous;
            default:
                return Liveness.Unknown;
        }
    }

    private void Record(ShadowVerdict verdict)
    {
        if (_recorder.IsStarted)
        {
            SessionsLost += verdict.SessionsLost;
        }

        _recorder.RecordVerdict(verdict);
    }

    private void Observe<T>(FestaResponse<T> response)
    {
        if (_recorder.IsStarted)
        {
            Latency.Record(response.Latency);
        }

        _recorder.RecordRequest(response, _index);
    }

    private string RandomEvent() => _catalogue.Count > 0 ? _catalogue[_random.Next(_catalogue.Count)] : "1";

    private enum Liveness
    {
        Unknown,
        SignedIn,
        Anonymous,
    }
}
