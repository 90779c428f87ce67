using System.Text.Json;

namespace Stickless.Lab.Workload;

/// <summary>
/// Reads the parts of Festa's JSON answers the workload needs. Tolerant of shape: an id list may be
/// a bare array or wrapped in <c>items</c>/<c>events</c>, and an element may be an id or an object with <c>id</c>.
/// </summary>
internal static class FestaJson
{
    /// <summary>The ids in a list answer (<c>GET /events</c>, <c>GET /wishlist</c>).</summary>
    public static IReadOnlyList<string> ReadIds(JsonElement root)
    {
        var list = root;
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (root.TryGetProperty("items", out var items))
            {
                list = items;
            }
            else if (root.TryGetProperty("events", out var events))
            {
                list = events;
            }
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var ids = new List<string>(list.GetArrayLength());
        foreach (var element in list.EnumerateArray())
        {
            if (TryReadId(element, out var id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>The <c>value</c> of a <c>POST /counter</c> answer.</summary>
    public static long ReadCounter(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out var value) && value.TryGetInt64(out var n) ? n : -1;

    /// <summary>The <c>username</c> of a <c>GET /me</c> or <c>POST /login</c> answer.</summary>
    public static string? ReadUsername(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("username", out var name) ? name.GetString() : null;

    private static bool TryReadId(JsonElement element, out string id)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                id = element.GetString() ?? string.Empty;
                return id.Length > 0;
            case JsonValueKind.Number:
                id = element.GetRawText();
                return true;
            case JsonValueKind.Object:
                foreach (var name in (ReadOnlySpan<string>)["id", "eventId"])
                {
                    if (element.TryGetProperty(name, out var inner) && TryReadId(inner, out id))
                    {
                        return true;
                    }
                }

                break;
        }

        id = string.Empty;
        return false;
    }

}
