using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Stickless.AspNetCore;

/// <summary>
/// <c>HttpContext.Session</c> over a <see cref="SticklessSession"/>: byte values are stored as they are,
/// so <c>SetString</c>, <c>GetInt32</c> and the other <c>SessionExtensions</c> work unchanged.
/// </summary>
internal sealed class SticklessSessionAdapter : ISession
{
    private readonly SticklessSession _session;

    public SticklessSessionAdapter(SticklessSession session) => _session = session;

    public bool IsAvailable => _session.IsAvailable;

    /// <remarks>Like ASP.NET Core: the id, created on first access for a new session; empty when unavailable.</remarks>
    public string Id => _session.IdForAspNet;

    public IEnumerable<string> Keys => _session.Keys;

    // Already loaded, asynchronously, by the middleware before the endpoint ran.
    public Task LoadAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task CommitAsync(CancellationToken cancellationToken = default) => _session.CommitPendingAsync(cancellationToken).AsTask();

    public bool TryGetValue(string key, [NotNullWhen(true)] out byte[]? value)
    {
        if (_session.TryGetRaw(key, out var bytes))
        {
            value = bytes.ToArray();
            return true;
        }

        value = null;
        return false;
    }

    // Copied: the caller may reuse its array.
    public void Set(string key, byte[] value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _session.SetRaw(key, value.AsSpan().ToArray());
    }

    public void Remove(string key) => _session.Remove(key);

    public void Clear() => _session.Clear();
}
