namespace Stickless.Lab.Deployment;

/// <summary>The last few requests, newest last; thread-safe.</summary>
internal sealed class RecentRequestLog
{
    private readonly Queue<RecentRequest> requests = new();
    private readonly Lock sync = new();

    /// <summary>Creates a log that keeps <paramref name="capacity"/> requests (default 30).</summary>
    public RecentRequestLog(int capacity = 30) => Capacity = capacity;

    /// <summary>How many requests it keeps.</summary>
    public int Capacity { get; }

    /// <summary>Adds a request, dropping the oldest beyond <see cref="Capacity"/>.</summary>
    public void Add(RecentRequest request)
    {
        lock (sync)
        {
            requests.Enqueue(request);
            while (requests.Count > Capacity)
            {
                requests.Dequeue();
            }
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        lock (sync)
        {
            requests.Clear();
        }
    }

    /// <summary>The requests kept, oldest first.</summary>
    public IReadOnlyList<RecentRequest> Snapshot()
    {
        lock (sync)
        {
            return [.. requests];
        }
    }
}
