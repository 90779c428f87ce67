using System.Text;

namespace Stickless.Redis.Tests.Store;

/// <summary>Change sets and helpers shared by the store tests.</summary>
internal static class StoreTestData
{
    public static readonly SessionLoadOptions NoTouch = new(DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public static readonly SessionLoadOptions AlwaysTouch = new(DateTimeOffset.UtcNow, TimeSpan.Zero);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(SessionAttribute attribute) => Encoding.UTF8.GetString(attribute.Value.Span);

    public static SessionChangeSet Create(string id, TimeSpan? idle = null, string? principal = null, params (string Name, string Value)[] attributes)
    {
        var now = DateTimeOffset.UtcNow;
        return new SessionChangeSet
        {
            SessionId = id,
            IsNew = true,
            Now = now,
            IdleTimeout = idle ?? TimeSpan.FromMinutes(20),
            AbsoluteExpiry = now.AddHours(8),
            SetsPrincipal = principal is not null,
            Principal = principal,
            Attributes = attributes.ToDictionary(a => a.Name, a => AttributeChange.Set(Bytes(a.Value))),
        };
    }

    public static SessionChangeSet Set(string id, string name, string value, long? expectedVersion = null) => new()
    {
        SessionId = id,
        Now = DateTimeOffset.UtcNow,
        Attributes = new Dictionary<string, AttributeChange> { [name] = AttributeChange.Set(Bytes(value), expectedVersion) },
    };

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return await condition();
    }
}
