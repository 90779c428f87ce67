namespace Stickless.Replication.Replicas;

/// <summary>How many bytes a session's data takes: names, values and the fixed fields (the <c>bytesHeld</c> figure).</summary>
internal static class SessionSize
{
    public static long Of(StoredSession session)
    {
        long size = session.Id.Length + 8 * 5 + (session.Principal?.Length ?? 0);
        foreach (var (name, attribute) in session.Attributes)
        {
            size += name.Length + attribute.Value.Length + 8;
        }

        return size;
    }
}
